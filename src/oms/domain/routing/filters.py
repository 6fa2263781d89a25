"""Which candidate nodes a strategy may ship from, and for the others the filter that left them out.

Filters run in a fixed order and a node is reported under the first one it fails, so an explanation
names one reason per node. Besides the strategy's own filters, a node must ship at all, have a carrier
and a rate to the destination, and hold something the order asks for.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from oms.domain.geo import haversine_km
from oms.domain.promise_model import Destination
from oms.domain.routing.model import Candidate, NodeVerdict, OrderFacts
from oms.domain.routing.profiles import Filters
from oms.domain.routing.rates import Lane, RateTable

REJECTIONS_KEPT = 4096
_rejections: dict[tuple[str, str, str], NodeVerdict] = {}


@dataclass(frozen=True, slots=True)
class Route:
    """An eligible node with what shipping from it to the order's destination involves."""

    node: Candidate
    lane: Lane
    distance_km: float
    days_late: int  # of its delivery date beyond the promised date, 0 when on time or no promise


def reach_of(
    order: OrderFacts, destination: Destination, candidates: Sequence[Candidate], rates: RateTable
) -> list[tuple[float, Lane | None]]:
    """Each candidate's distance to the destination and its lane there: the same under every strategy,
    so an order that falls back from one strategy to the next works them out once."""
    service, country = order.service_level, destination.country
    reach = []
    for node in candidates:
        distance = haversine_km(node.point, destination.point)
        reach.append((distance, rates.lane(service, node.country, country, distance)))
    return reach


def eligible_routes(
    order: OrderFacts,
    skus: set[str],
    destination: Destination,
    candidates: Sequence[Candidate],
    filters: Filters,
    rates: RateTable,
    reach: Sequence[tuple[float, Lane | None]] | None = None,
) -> tuple[list[Route], list[NodeVerdict]]:
    """`reach` is `reach_of` the same order and candidates, when the caller has it already."""
    routes, rejected = [], []
    for node, (distance, lane) in zip(candidates, reach or reach_of(order, destination, candidates, rates),
                                      strict=True):  # fmt: skip
        failed = _failure(node, order, skus, distance, lane, filters)
        if failed:
            rejected.append(_rejection(node.id, *failed))
        else:
            routes.append(Route(node, lane, distance, _days_late(node, order)))
    return routes, rejected


def _rejection(node_id: str, filtered_by: str, reason: str) -> NodeVerdict:
    """Memoised across orders: beyond capacity every order meets the same few, strategy after strategy."""
    key = (node_id, filtered_by, reason)
    verdict = _rejections.get(key)
    if verdict is None:
        if len(_rejections) >= REJECTIONS_KEPT:
            _rejections.clear()
        verdict = _rejections[key] = NodeVerdict(node_id, filtered_by=filtered_by, reason=reason)
    return verdict


def _failure(node: Candidate, order: OrderFacts, skus: set[str], distance: float, lane, f: Filters):
    """(filter, reason) for the first filter `node` fails, in filter order; None when it passes them all."""
    if not node.ships:
        return "does_not_ship", "the node offers no shipping fulfilment type"
    if f.node_types is not None and node.type not in f.node_types:
        return "node_types", f"node type {node.type} is not among {f.node_types}"
    if not f.ship_from_store and node.type == "store":
        return "ship_from_store", "ship-from-store is disabled"
    if node.id in f.excluded_nodes:
        return "excluded_nodes", "the strategy excludes this node"
    if f.max_distance_km is not None and distance > f.max_distance_km:
        return "max_distance_km", f"{distance:.0f} km away, beyond {f.max_distance_km:g} km"
    if f.require_capacity and node.remaining_capacity <= 0:
        return "require_capacity", "no daily capacity left"
    if node.transit_days is None or lane is None:
        route = f"{order.service_level} from {node.country} to {order.destination_country}"
        return "no_route", f"no carrier or rate for {route}"
    if f.must_meet_promise and not _meets(node, order.promised_delivery_date):
        when = node.delivery_date or "on an unknown date"
        return "must_meet_promise", f"delivers {when}, after the promised {order.promised_delivery_date}"
    stock = node.stock
    for sku in skus:
        if stock.get(sku, 0) > 0:
            return None
    return "no_stock", "holds none of the order's SKUs"


def _meets(node: Candidate, promised) -> bool:
    return promised is None or (node.delivery_date is not None and node.delivery_date <= promised)


def _days_late(node: Candidate, order: OrderFacts) -> int:
    promised = order.promised_delivery_date
    if promised is None or node.delivery_date is None:
        return 0
    return max(0, (node.delivery_date - promised).days)
