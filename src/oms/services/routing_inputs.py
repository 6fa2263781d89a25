"""What routing decides from, read from the database: the candidate nodes as they stand now for one
order (stock its channel may take, remaining capacity today, transit and delivery date for its service
level), its lines with their weights, and its customer's tier."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, text

from oms.domain.geo import haversine_km, locate
from oms.domain.promise import planned_dates
from oms.domain.promise_model import Destination
from oms.domain.routing.model import Candidate, OrderFacts, OrderLine
from oms.domain.routing.select import RoutingInput
from oms.services.availability import PROTECTIONS_JSON_SQL, protections_from_json
from oms.services.promise_data import reference
from oms.services.reservations import STOCK_SQL, locked_rows

# Capacity counts orders allocated at a node since the start of the day (database time zone).
_FACTS = text(
    f"""
    SELECT (SELECT coalesce(json_agg(json_build_object(
              'id', n.id, 'type', n.type, 'daily_capacity', n.daily_capacity,
              'used_today', (SELECT count(DISTINCT a.order_id) FROM allocations a
                             WHERE a.node_id = n.id AND a.created_at >= date_trunc('day', now())))), '[]'::json)
            FROM nodes n WHERE n.active) AS nodes,
           (SELECT coalesce(json_agg(s), '[]'::json) FROM ({STOCK_SQL}) s) AS stock,
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
    )
    lines = [
        OrderLine(no, sku, qty, float(facts.weights.get(sku) or 0))
        for no, (sku, qty, _) in enumerate(draft.lines, start=1)
    ]
    stock = _stock_for_channel(facts.stock, facts.protections, draft.channel)
    ref = reference(conn, [n["id"] for n in facts.nodes])
    candidates = []
    for node in facts.nodes:
        facts_of = ref.nodes[node["id"]]
        distance = haversine_km(facts_of.point, destination.point)
        transit = ref.transit.find(draft.service_level, facts_of.country, draft.country, distance)
        delivery = planned_dates(facts_of, at, destination, ref.transit, draft.service_level)[1] if transit else None
        candidates.append(
            Candidate(
                id=node["id"],
                type=node["type"],
                country=facts_of.country,
                point=facts_of.point,
                priority=facts_of.priority,
                fulfilment_types=facts_of.fulfilment_types,
                daily_capacity=node["daily_capacity"],
                remaining_capacity=max(0, node["daily_capacity"] - node["used_today"]),
                stock=stock.get(node["id"], {}),
                transit_days=transit.days if transit else None,
                delivery_date=delivery,
            )
        )
    return RoutingInput(order, lines, destination, candidates)


def _stock_for_channel(rows: list[dict], protection_rows: list[dict], channel: str) -> dict[str, dict[str, int]]:
    """Node id -> SKU -> units the channel may take now."""
    protections = protections_from_json(channel, protection_rows)
    stock: dict[str, dict[str, int]] = {}
    for (node_id, sku), row in locked_rows(rows).items():
        units = row.available_to(channel, protections)
        if units > 0:
            stock.setdefault(node_id, {})[sku] = units
    return stock
