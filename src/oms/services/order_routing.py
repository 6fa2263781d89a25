"""Where a new order's stock comes from: the routing engine (oms.domain.routing) with the active profiles
and rates, on the stock capture read; pickup orders from their collecting store.

An order to a country without known geography cannot be routed by distance, cost or transit; it is
allocated by node priority (the rule before the engine) and its decision says so."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection

from oms.domain.allocation import Allocation, LineRequest
from oms.domain.atp import Protection
from oms.domain.geo import UnknownCountry, locate
from oms.domain.promise_model import Destination
from oms.domain.routing.model import Attempt, Decision, NodeVerdict, OrderFacts, OrderLine
from oms.domain.routing.select import route_order
from oms.services.order_models import OrderCreate
from oms.services.reservations import LockedRow, OrderContext, plan
from oms.services.routing_config import RoutingConfig, active_config
from oms.services.routing_inputs import routing_input_from

PICKUP, NODE_PRIORITY = "pickup", "node-priority"  # the rules that decide without the engine


@dataclass(frozen=True, slots=True)
class Routed:
    picks: list[Allocation]
    decision: Decision
    config: RoutingConfig  # the profiles and rates versions it was decided with


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
    config = active_config(conn)
    context = OrderContext(cmd.channel, cmd.service_level, cmd.pickup_node_id)
    requests = [LineRequest(no, line.sku, line.quantity) for no, line in enumerate(cmd.lines, start=1)]
    if cmd.service_level == "pickup":
        return by_rule(context, requests, stock, protections, config, PICKUP, at_store(cmd.pickup_node_id))
    try:
        point = locate(cmd.ship_to.country, cmd.ship_to.postal_code).point
    except UnknownCountry:
        return by_rule(context, requests, stock, protections, config, NODE_PRIORITY, no_geography(cmd.ship_to.country))
    order = OrderFacts(cmd.channel, cmd.ship_to.country, cmd.service_level, tier,
                       sum((line.unit_price * line.quantity for line in cmd.lines), Decimal(0)),
                       cmd.promised_delivery_date)  # fmt: skip
    lines = [OrderLine(no, line.sku, line.quantity, float(weights.get(line.sku) or 0))
             for no, line in enumerate(cmd.lines, start=1)]  # fmt: skip
    destination = Destination(cmd.ship_to.country, point)
    job = routing_input_from(conn, order, lines, destination, stock, protections, capacity_used, at)
    decision = route_order(job, config.profiles, config.rates)
    return Routed(picks_of(decision), decision, config)


def picks_of(decision: Decision) -> list[Allocation]:
    """The allocations of the decision's plan, shipment by shipment."""
    return [] if decision.plan is None else [
        Allocation(line_no, sku, shipment.node_id, quantity)
        for shipment in decision.plan.shipments
        for line_no, sku, quantity in shipment.lines
    ]  # fmt: skip


def at_store(node_id: str | None) -> str:
    return f"at the collecting store {node_id}"


def no_geography(country: str) -> str:
    return f"by node priority: no geography is known for {country}"


def by_rule(
    context: OrderContext,
    requests: list[LineRequest],
    stock: Mapping[tuple[str, str], LockedRow],
    protections: list[Protection],
    config: RoutingConfig,
    rule: str,
    where: str,
) -> Routed:
    """Allocation by node priority among the nodes the order may take stock from, explained in one line:
    pickup orders at their collecting store, orders to a country without geography anywhere."""
    picks = plan(stock, context, requests, protections)
    units: dict[str, int] = {}
    for pick in picks:
        units[pick.node_id] = units.get(pick.node_id, 0) + pick.quantity
    outcome = f"reserves {sum(units.values())} of {sum(r.quantity for r in requests)} units {where}"
    verdicts = tuple(NodeVerdict(node_id, units=n, chosen=True) for node_id, n in units.items())
    return Routed(picks, Decision(None, None, verdicts, (Attempt(rule, outcome),)), config)
