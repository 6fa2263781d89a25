"""What a promise reads besides stock: node facts and transit rules, cached per process."""

from dataclasses import dataclass

from sqlalchemy import Connection, text

from oms.domain.geo import Point
from oms.domain.promise_model import NodeFacts
from oms.domain.transit import TransitRule, TransitTable
from oms.services.process_cache import ProcessCache

# Changed by hand a few times a day; without change notifications re-read every 10 s, which on a date
# estimate is harmless (capture re-checks stock anyway).
REFERENCE_TTL_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Reference:
    nodes: dict[str, NodeFacts]  # every node, so stock at a disabled one never looks like a new node
    active: tuple[NodeFacts, ...]  # the nodes that may fulfil, by priority
    transit: TransitTable

    def knows(self, node_ids) -> bool:
        return all(n in self.nodes for n in node_ids)


def reference(conn: Connection, node_ids=()) -> Reference:
    """Cached node facts and transit rules, reloaded when stale or when `node_ids` names a node they do
    not know yet (one created since the last load)."""
    return _cache.get(conn, lambda ref: ref.knows(node_ids))


def fresh_reference(node_ids=()) -> Reference | None:
    """The cached reference if it is fresh and knows every node of `node_ids`, without a connection."""
    return _cache.peek(lambda ref: ref.knows(node_ids))


def clear_cache() -> None:
    """Forget node facts and transit rules (they changed, or tests change them)."""
    _cache.clear()


def _load_reference(conn: Connection) -> Reference:
    rows = conn.execute(
        text(
            "SELECT id, name, city, country, lat, lon, timezone, processing_days, cutoff_time, priority,"
            " fulfilment_types, type, daily_capacity, active FROM nodes"
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
            r.type,
            r.daily_capacity,
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
    return Reference(nodes, active, TransitTable([TransitRule(*r) for r in rules]))


_cache = ProcessCache(_load_reference, REFERENCE_TTL_SECONDS)
