"""What routing decides from, read from the database: the candidate nodes as they stand now for one
order (stock its channel may take, remaining capacity today, transit and delivery date for its service
level), its lines with their weights, and its customer's tier. Capture reads the same facts within its
own statement and builds the input with `routing_input_from`."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, text

from oms.domain.atp import Protection
from oms.domain.calendar import add_delivery_days
from oms.domain.geo import locate
from oms.domain.promise import planned_transit, ship_date
from oms.domain.promise_model import Destination
from oms.domain.routing.model import Candidate, OrderFacts, OrderLine
from oms.domain.routing.reliability import region_of
from oms.domain.routing.select import RoutingInput
from oms.services.availability import PROTECTIONS_JSON_SQL, protections_from_json
from oms.services.node_capacity import CAPACITY_USED_SQL
from oms.services.promise_data import reference
from oms.services.reservations import STOCK_SQL, LockedRow, locked_rows

_FACTS = text(
    f"""
    WITH stock AS ({STOCK_SQL})
    SELECT (SELECT coalesce(json_agg(stock), '[]'::json) FROM stock) AS stock,
           {CAPACITY_USED_SQL} AS capacity_used,
           (SELECT coalesce(json_object_agg(sku, weight_kg), '{{}}'::json) FROM products WHERE sku = ANY(:skus))
             AS weights,
           {PROTECTIONS_JSON_SQL} AS protections,
           (SELECT tier FROM customers WHERE email = :email) AS tier
    """
)


@dataclass(frozen=True, slots=True)
class OrderDraft:
    """An order as routing sees it, captured or not."""

    channel: str
    postal_code: str
    country: str
    service_level: str
    lines: list[tuple[str, int, Decimal]]  # (sku, quantity, unit price), numbered from 1
    customer_email: str | None = None
    promised_delivery_date: date | None = None


class UnknownSkus(ValueError):
    def __init__(self, skus: list[str]):
        super().__init__(f"unknown SKU {', '.join(skus)}")
        self.skus = skus


def routing_input(conn: Connection, draft: OrderDraft, at: datetime) -> RoutingInput:
    """Raises UnknownSkus, or UnknownCountry for a destination no area is known in."""
    skus = sorted({sku for sku, _, _ in draft.lines})
    params = {"skus": skus, "channel": draft.channel, "email": draft.customer_email}
    facts = conn.execute(_FACTS, params).one()
    if unknown := [sku for sku in skus if sku not in facts.weights]:
        raise UnknownSkus(unknown)
    destination = Destination(draft.country, locate(draft.country, draft.postal_code).point)
    order = OrderFacts(
        draft.channel,
        draft.country,
        draft.service_level,
        facts.tier or "standard",
        sum((price * qty for _, qty, price in draft.lines), Decimal(0)),
        draft.promised_delivery_date,
        region_of(draft.country, draft.postal_code),
    )
    lines = [
        OrderLine(no, sku, qty, float(facts.weights.get(sku) or 0))
        for no, (sku, qty, _) in enumerate(draft.lines, start=1)
    ]
    stock = locked_rows(facts.stock)
    protections = protections_from_json(draft.channel, facts.protections)
    return routing_input_from(conn, order, lines, destination, stock, protections, facts.capacity_used, at)


def routing_input_from(
    conn: Connection,
    order: OrderFacts,
    lines: list[OrderLine],
    destination: Destination,
    stock: Mapping[tuple[str, str], LockedRow],
    protections: list[Protection],
    capacity_used: Mapping[str, int],
    at: datetime,
) -> RoutingInput:
    """The candidates are the active nodes holding units of the order's SKUs its channel may take. A
    node's `active` is read with its stock too: the cached node facts may not know yet that it stopped
    (a node outage)."""
    by_node: dict[str, dict[str, int]] = {}
    for (node_id, sku), row in stock.items():
        if row.active and (units := row.available_to(order.channel_id, protections)) > 0:
            by_node.setdefault(node_id, {})[sku] = units
    ref = reference(conn, by_node)
    at = at.replace(second=0, microsecond=0)  # cut-offs are in minutes; a minute's orders share cached dates
    candidates = []
    for node in ref.active:
        if (held := by_node.get(node.id)) is None:
            continue
        transit = planned_transit(node, destination, ref.transit, order.service_level)
        candidates.append(
            Candidate(
                id=node.id,
                type=node.type,
                country=node.country,
                point=node.point,
                priority=node.priority,
                fulfilment_types=node.fulfilment_types,
                daily_capacity=node.daily_capacity,
                remaining_capacity=max(0, node.daily_capacity - capacity_used.get(node.id, 0)),
                stock=held,
                transit_days=transit.days,
                delivery_date=add_delivery_days(ship_date(node, at), transit.days, destination.country),
            )
        )
    return RoutingInput(order, lines, destination, candidates)
