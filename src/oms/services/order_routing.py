"""Where an order's stock comes from: the routing engine (oms.domain.routing) with the active profiles
and rates, on stock the caller read (capture) or locked (oms.services.line_routing); pickup orders from
their collecting store.

An order to a country without known geography cannot be routed by distance, cost or transit; it is
allocated by node priority (the rule before the engine) and its decision says so."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection

from oms.domain.allocation import Allocation, LineRequest
from oms.domain.atp import Protection
from oms.domain.geo import UnknownCountry, locate
from oms.domain.promise_model import Destination
from oms.domain.routing.model import Attempt, Decision, NodeVerdict, OrderFacts, OrderLine
from oms.domain.routing.reliability import region_of
from oms.domain.routing.select import RoutingInput, route_order
from oms.services.order_models import OrderCreate
from oms.services.reservations import LockedRow, OrderContext, plan
from oms.services.routing_config import RoutingConfig, active_config
from oms.services.routing_inputs import routing_input_from


@dataclass(frozen=True, slots=True)
class Routed:
    picks: list[Allocation]
    decision: Decision
    config: RoutingConfig  # the profiles and rates versions it was decided with


Decide = Callable[[RoutingInput, RoutingConfig], Decision]


def engine_decision(job: RoutingInput, config: RoutingConfig) -> Decision:
    return route_order(job, config.profiles, config.rates, reliability=config.reliability)


def route_new_order(
    conn: Connection,
    cmd: OrderCreate,
    stock: Mapping[tuple[str, str], LockedRow],
    protections: list[Protection],
    weights: Mapping[str, float | None],
    tier: str,
    capacity_used: Mapping[str, int],
    at: datetime,
) -> Routed:
    context = OrderContext(cmd.channel, cmd.service_level, cmd.pickup_node_id)
    order = OrderFacts(cmd.channel, cmd.ship_to.country, cmd.service_level, tier,
                       sum((line.unit_price * line.quantity for line in cmd.lines), Decimal(0)),
                       cmd.promised_delivery_date, region_of(cmd.ship_to.country, cmd.ship_to.postal_code))  # fmt: skip
    requests = [LineRequest(no, line.sku, line.quantity) for no, line in enumerate(cmd.lines, start=1)]
    return route_requests(conn, context, order, cmd.ship_to.postal_code, requests, weights, stock, protections,
                          capacity_used, at)  # fmt: skip


def route_requests(
    conn: Connection,
    context: OrderContext,
    order: OrderFacts,
    postal_code: str,
    requests: list[LineRequest],
    weights: Mapping[str, float | None],
    stock: Mapping[tuple[str, str], LockedRow],
    protections: list[Protection],
    capacity_used: Mapping[str, int],
    at: datetime,
    decide: Decide = engine_decision,
) -> Routed:
    """Where `requests` of an order shipping to (`order.destination_country`, `postal_code`) are
    allocated; `decide` runs the engine on the routing input (capture: as is)."""
    config = active_config(conn)
    if context.service_level == "pickup":
        where = f"at the collecting store {context.pickup_node_id}"
        return _by_rule(context, requests, stock, protections, config, "pickup", where)
    try:
        point = locate(order.destination_country, postal_code).point
    except UnknownCountry:
        why = f"by node priority: no geography is known for {order.destination_country}"
        return _by_rule(context, requests, stock, protections, config, "node-priority", why)
    lines = [OrderLine(r.line_no, r.sku, r.quantity, float(weights.get(r.sku) or 0)) for r in requests]
    destination = Destination(order.destination_country, point)
    job = routing_input_from(conn, order, lines, destination, stock, protections, capacity_used, at)
    decision = decide(job, config)
    picks = [] if decision.plan is None else [
        Allocation(line_no, sku, shipment.node_id, quantity)
        for shipment in decision.plan.shipments
        for line_no, sku, quantity in shipment.lines
    ]  # fmt: skip
    return Routed(picks, decision, config)


def _by_rule(
    context: OrderContext,
    requests: list[LineRequest],
    stock: Mapping[tuple[str, str], LockedRow],
    protections: list[Protection],
    config: RoutingConfig,
    rule: str,
    where: str,
) -> Routed:
    """Allocation by node priority among the nodes the order may take stock from, explained in one line."""
    picks = plan(stock, context, requests, protections)
    units: dict[str, int] = {}
    for pick in picks:
        units[pick.node_id] = units.get(pick.node_id, 0) + pick.quantity
    outcome = f"reserves {sum(units.values())} of {sum(r.quantity for r in requests)} units {where}"
    verdicts = tuple(NodeVerdict(node_id, units=n, chosen=True) for node_id, n in units.items())
    return Routed(picks, Decision(None, None, verdicts, (Attempt(rule, outcome),)), config)
