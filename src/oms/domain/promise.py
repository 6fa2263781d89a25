"""Delivery promise: from a cart, stock per node and the network's calendars, the options a shopper sees.

Standard and express ship from the one node that can send the whole cart soonest (then by node
priority); when no node can, from the fewest nodes. Stock due on inbound supply counts from its expected
date, and processing waits for it. Pickup is from stores near the destination that hold every line now.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from oms.domain.calendar import add_delivery_days, add_working_days, local_date, processing_start
from oms.domain.geo import haversine_km
from oms.domain.promise_model import Cart, Destination, NodeFacts, Option, PickupStore, Shipment, Supply
from oms.domain.sourcing import fewest_nodes
from oms.domain.transit import Transit, TransitTable, default_transit

PICKUP_RADIUS_KM = 50.0
PICKUP_OPTIONS = 3
SERVICE_LEVELS = ("standard", "express", "pickup")


@dataclass(frozen=True, slots=True)
class Network:
    nodes: Sequence[NodeFacts]
    stock: Mapping[str, Mapping[str, Supply]]  # node id -> SKU -> what the cart may use there
    transit: TransitTable


def promise(cart: Cart, network: Network, levels: Iterable[str] = SERVICE_LEVELS) -> list[Option]:
    ready: dict[str, date | None] = {}  # the levels share when each node could ship the whole cart
    options: list[Option] = []
    for level in levels:
        options += (
            pickup_options(cart, network) if level == "pickup" else [ship_option(cart, network, level, ready)]
        )
    return options


def ship_date(node: NodeFacts, at: datetime, arrival: date | None = None) -> date:
    """Processing starts on the order's working day (cut-off in the node's timezone) or, if later, on
    the first working day the stock is there; it takes the node's processing days."""
    start = processing_start(at, node.timezone, node.cutoff, node.country)
    if arrival is not None:
        start = max(start, add_working_days(arrival, 0, node.country))
    return add_working_days(start, node.processing_days, node.country)


def ship_option(
    cart: Cart, network: Network, level: str, ready: dict[str, date | None] | None = None
) -> Option:
    """`ready` memoises, per node id, when the node could ship the whole cart (None: never)."""
    routes = {}  # node id -> (node, transit) for every node that can send this service there
    for node in network.nodes:
        if node.ships and (transit := _transit(node, cart.destination, network.transit, level)):
            routes[node.id] = (node, transit)
    if not routes:
        return Option(level, False, reason=f"no {level} service to {cart.destination.country}")
    whole = _soonest_whole(cart, network, routes, {} if ready is None else ready)
    if whole is not None:
        return Option.shipped(level, [whole])
    order = sorted(routes, key=lambda n: (_quickest(*routes[n], cart), routes[n][0].priority, n))
    capacity = {(n, sku): s.eventually() for n in order for sku, s in network.stock.get(n, {}).items()}
    plan, short = fewest_nodes(cart.lines, capacity, order)
    if short:
        return Option(level, False, reason="not enough stock for " + ", ".join(short))
    return Option.shipped(level, [_shipment(*routes[n], lines, cart, network) for n, lines in plan.items()])


def pickup_options(cart: Cart, network: Network) -> list[Option]:
    """The nearest stores within the pickup radius holding every line now, with their ready date."""
    stores = [(haversine_km(n.point, cart.destination.point), n) for n in network.nodes if n.offers_pickup]
    options = []
    for distance, store in sorted(stores, key=lambda pair: (pair[0], pair[1].id)):
        if distance > PICKUP_RADIUS_KM or len(options) == PICKUP_OPTIONS:
            break
        if _holds_now(network.stock.get(store.id, {}), cart.lines):
            ready = ship_date(store, cart.at)
            where = PickupStore(store.id, store.name, store.city, round(distance, 1))
            shipment = Shipment(store.id, tuple(cart.lines.items()), ready)
            options.append(Option("pickup", True, shipments=(shipment,), ready_date=ready, store=where))
    none_near = f"no store within {PICKUP_RADIUS_KM:g} km holds every line"
    return options or [Option("pickup", False, reason=none_near)]


def planned_dates(
    node: NodeFacts, at: datetime, destination: Destination, transit_table: TransitTable, level: str
) -> tuple[date, date]:
    """Ship and delivery dates of stock already allocated at `node` (for pickup, the ready date twice).
    A route without a rule for `level` falls back to standard, then to the defaults: a captured order
    always gets a date."""
    shipped = ship_date(node, at)
    if level == "pickup":
        return shipped, shipped
    transit = planned_transit(node, destination, transit_table, level)
    return shipped, add_delivery_days(shipped, transit.days, destination.country)


def planned_transit(node: NodeFacts, destination: Destination, table: TransitTable, level: str) -> Transit:
    """The transit for `level` from `node`, else the standard one, else the defaults: never none."""
    return (
        _transit(node, destination, table, level)
        or _transit(node, destination, table, "standard")
        or default_transit(
            "standard", node.country, destination.country, haversine_km(node.point, destination.point)
        )
    )


def _transit(node: NodeFacts, destination: Destination, table: TransitTable, level: str) -> Transit | None:
    distance = haversine_km(node.point, destination.point)
    return table.find(level, node.country, destination.country, distance)


def _quickest(node: NodeFacts, transit: Transit, cart: Cart) -> date:
    """The delivery date from `node` if its stock were all there: ranks the nodes of a split."""
    return add_delivery_days(ship_date(node, cart.at), transit.days, cart.destination.country)


def _soonest_whole(
    cart: Cart, network: Network, routes: dict, ready: dict[str, date | None]
) -> Shipment | None:
    """The whole cart from the node delivering it soonest (then by priority, then id), None if none can."""
    lines, best = tuple(cart.lines.items()), None
    for node, transit in routes.values():
        if node.id not in ready:
            ready[node.id] = _ready_to_ship(node, lines, cart, network)
        if ready[node.id] is not None:
            delivered = add_delivery_days(ready[node.id], transit.days, cart.destination.country)
            if best is None or (delivered, node.priority, node.id) < best:
                best = (delivered, node.priority, node.id)
    if best is None:
        return None
    delivered, _, node_id = best
    return Shipment(node_id, lines, ready[node_id], routes[node_id][1].carrier, delivered)


def _shipment(node: NodeFacts, transit: Transit, lines, cart: Cart, network: Network) -> Shipment | None:
    """`lines` shipped from `node`, or None when its stock never covers them."""
    lines = tuple(lines)
    shipped = _ready_to_ship(node, lines, cart, network)
    if shipped is None:
        return None
    delivered = add_delivery_days(shipped, transit.days, cart.destination.country)
    return Shipment(node.id, lines, shipped, transit.carrier, delivered)


def _ready_to_ship(node: NodeFacts, lines: tuple, cart: Cart, network: Network) -> date | None:
    """The ship date of `lines` from `node`, or None when its stock never covers them."""
    stock = network.stock.get(node.id, {})
    if any(sku not in stock for sku, _ in lines):  # most nodes lack some line: skip the date arithmetic
        return None
    arrival = _arrival(stock, lines, local_date(cart.at, node.timezone))
    return None if arrival is None else ship_date(node, cart.at, arrival)


def _arrival(stock: Mapping[str, Supply], lines, today: date) -> date | None:
    """The day every line is in stock at the node: today, a later inbound date, or None if never."""
    days = [stock[sku].available_on(qty, today) if sku in stock else None for sku, qty in lines]
    return None if None in days else max(days, default=today)


def _holds_now(stock: Mapping[str, Supply], lines: Mapping[str, int]) -> bool:
    return all(sku in stock and stock[sku].now() >= qty for sku, qty in lines.items())
