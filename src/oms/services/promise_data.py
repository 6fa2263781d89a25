"""What a promise reads: node facts and transit rules (cached), and the cart's stock in one query."""

import threading
import time as clock
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from oms.domain.atp import Position, Protection, held_back
from oms.domain.geo import Point
from oms.domain.promise_model import NodeFacts, Supply
from oms.domain.transit import TransitRule

# Node facts and transit rules change by an administrator's hand, a few times a day, while promises run
# thousands of times a second. Re-reading them at most every 10 s keeps each promise to one query; a
# short TTL rather than invalidation because API workers are many processes with nothing shared but the
# database, and 10 s of staleness on a date estimate is harmless (capture re-checks stock anyway).
REFERENCE_TTL_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Reference:
    nodes: dict[str, NodeFacts]  # every node, so stock at a disabled one never looks like a new node
    active: tuple[NodeFacts, ...]  # the nodes that may fulfil, by priority
    rules: tuple[TransitRule, ...]
    loaded_at: float

    def serves(self, node_ids) -> bool:
        fresh = clock.monotonic() - self.loaded_at < REFERENCE_TTL_SECONDS
        return fresh and all(n in self.nodes for n in node_ids)


_lock = threading.Lock()
_cached: Reference | None = None


def reference(conn: Connection, node_ids=()) -> Reference:
    """Cached node facts and transit rules, reloaded when older than the TTL or when `node_ids` names a
    node they do not know yet (one created since the last load)."""
    global _cached
    ref = _cached
    if ref is not None and ref.serves(node_ids):
        return ref
    with _lock:  # one reload at a time; the others then find it done
        if _cached is None or not _cached.serves(node_ids):
            _cached = _load_reference(conn)
        return _cached


def clear_cache() -> None:
    """Forget node facts and transit rules, e.g. in tests that change them."""
    global _cached
    _cached = None


def _load_reference(conn: Connection) -> Reference:
    rows = conn.execute(
        text(
            "SELECT id, name, city, country, lat, lon, timezone, processing_days, cutoff_time, priority,"
            " fulfilment_types, active FROM nodes"
        )
    ).all()
    nodes = {
        r.id: NodeFacts(
            r.id,
            r.name,
            r.city,
            r.country,
            Point(float(r.lat), float(r.lon)),
            r.timezone,
            r.processing_days,
            r.cutoff_time,
            r.priority,
            frozenset(r.fulfilment_types),
        )
        for r in rows
    }
    active = tuple(sorted((nodes[r.id] for r in rows if r.active), key=lambda n: (n.priority, n.id)))
    rules = conn.execute(
        text(
            "SELECT carrier, service_level, origin_country, dest_country, max_distance_km, transit_days"
            " FROM transit_rules"
        )
    )
    return Reference(nodes, active, tuple(TransitRule(*r) for r in rules), clock.monotonic())


# Everything a promise needs about the cart in one round trip: which SKUs are sold, whether the channel
# exists, stock positions, open inbound supply by date and the channel's protections.
_CART = text(
    """
    SELECT 'product' AS kind, NULL::text AS node_id, sku::text, NULL::int AS a, NULL::int AS b,
           NULL::int AS c, NULL::date AS day, NULL::numeric AS share
      FROM products WHERE sku = ANY(:skus) AND active
    UNION ALL
    SELECT 'channel', NULL, id, NULL, NULL, NULL, NULL, NULL FROM channels WHERE id = :channel
    UNION ALL
    SELECT 'stock', node_id, sku, on_hand, reserved, safety_stock, NULL, NULL
      FROM inventory WHERE sku = ANY(:skus)
    UNION ALL
    SELECT 'inbound', node_id, sku, sum(quantity)::int, NULL, NULL, expected_date, NULL
      FROM inbound_supply WHERE status = 'open' AND sku = ANY(:skus)
     GROUP BY node_id, sku, expected_date
    UNION ALL
    SELECT 'protection', node_id, sku, quantity, NULL, NULL, NULL, share
      FROM channel_protections WHERE channel_id = :channel AND (sku IS NULL OR sku = ANY(:skus))
    """
)


@dataclass(slots=True)
class CartStock:
    known_skus: set[str]
    channel_exists: bool
    stock: dict[str, dict[str, Supply]]  # node id -> SKU -> supply


def load_cart_stock(conn: Connection, skus: list[str], channel: str | None) -> CartStock:
    by_kind: dict[str, list] = defaultdict(list)
    for row in conn.execute(_CART, {"skus": skus, "channel": channel}):
        by_kind[row.kind].append(row)
    protections = [Protection(channel, r.sku, r.node_id, r.a, r.share) for r in by_kind["protection"]]
    positions = {(r.node_id, r.sku): Position(r.node_id, r.sku, r.a, r.b, r.c) for r in by_kind["stock"]}
    inbound: dict[tuple[str, str], list[tuple[date, int]]] = defaultdict(list)
    for r in by_kind["inbound"]:
        inbound[(r.node_id, r.sku)].append((r.day, r.a))
    stock: dict[str, dict[str, Supply]] = {}
    for key in positions.keys() | inbound.keys():
        position = positions.get(key) or Position(*key, on_hand=0, reserved=0, safety_stock=0)
        held = held_back(position, channel, protections)
        stock.setdefault(key[0], {})[key[1]] = Supply(position, held, tuple(sorted(inbound[key])))
    return CartStock({r.sku for r in by_kind["product"]}, bool(by_kind["channel"]), stock)
