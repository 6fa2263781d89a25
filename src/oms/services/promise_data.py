"""What a promise reads besides stock: node facts and transit rules, cached per process."""

import threading
import time as clock
from dataclasses import dataclass

from sqlalchemy import Connection, text

from oms.domain.geo import Point
from oms.domain.promise_model import NodeFacts
from oms.domain.transit import TransitRule, TransitTable
from oms.services.promise_stock import max_age

# Node facts and transit rules change by an administrator's hand, a few times a day, while promises run
# thousands of times a second. While this process hears change notifications (oms.services.
# promise_listener) a change forgets them at once; without, they are re-read at most every 10 s, which
# on a date estimate is harmless (capture re-checks stock anyway).
REFERENCE_TTL_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Reference:
    nodes: dict[str, NodeFacts]  # every node, so stock at a disabled one never looks like a new node
    active: tuple[NodeFacts, ...]  # the nodes that may fulfil, by priority
    transit: TransitTable
    loaded_at: float

    def serves(self, node_ids) -> bool:
        fresh = clock.monotonic() - self.loaded_at < max_age(REFERENCE_TTL_SECONDS)
        return fresh and all(n in self.nodes for n in node_ids)


_lock = threading.Lock()
_cached: Reference | None = None
_cleared = 0  # counts clear_cache() calls: a load that raced with one is used once, not kept


def reference(conn: Connection, node_ids=()) -> Reference:
    """Cached node facts and transit rules, reloaded when older than the TTL or when `node_ids` names a
    node they do not know yet (one created since the last load)."""
    global _cached
    if (ref := fresh_reference(node_ids)) is not None:
        return ref
    with _lock:  # one reload at a time; the others then find it done
        if _cached is not None and _cached.serves(node_ids):
            return _cached
        cleared = _cleared
        loaded = _load_reference(conn)
        if cleared == _cleared:
            _cached = loaded
        return loaded


def fresh_reference(node_ids=()) -> Reference | None:
    """The cached reference if it is fresh and knows every node of `node_ids`, without a connection."""
    ref = _cached
    return ref if ref is not None and ref.serves(node_ids) else None


def clear_cache() -> None:
    """Forget node facts and transit rules (they changed, or tests change them)."""
    global _cached, _cleared
    _cleared += 1
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
    return Reference(nodes, active, TransitTable([TransitRule(*r) for r in rules]), clock.monotonic())
