"""The backlog a batch re-optimisation works on, read in one snapshot: the open orders chosen, and the
joint problem as if every one of them gave its reservations back: stock per (node, SKU) and daily
shipments per node, each never below what the orders use now, so their current allocations are always
a feasible answer and re-optimising can only do better.

Orders are left out, with the reason, when the engine cannot route them: pickup orders (their store is
chosen by the customer), destinations without geography, no strategy matching, or a current allocation
no rate or candidate can express."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import Connection, text

from oms.domain.atp import atp
from oms.domain.geo import UnknownCountry, locate
from oms.domain.promise_model import Destination
from oms.domain.routing.existing_plan import existing_plan
from oms.domain.routing.model import OrderFacts, OrderLine, Plan
from oms.domain.routing.profiles import Filters, Strategy
from oms.domain.routing.reliability import region_of
from oms.domain.routing.select import RoutingInput, choose_strategy
from oms.services.availability import load_protections
from oms.services.node_capacity import CAPACITY_USED_SQL
from oms.services.promise_data import reference
from oms.services.reservations import STOCK_SQL, LockedRow, locked_rows
from oms.services.routing_config import RoutingConfig
from oms.services.routing_inputs import routing_input_from

OPEN_LINE_STATUSES = ["allocated", "partially_allocated", "backordered"]

_ORDERS = text(
    """
    SELECT o.id, o.version, o.channel_id, o.service_level, o.ship_to->>'postal_code' AS postal_code,
           o.ship_to_country AS country, o.promised_delivery_date, o.total_amount,
           coalesce(c.tier, 'standard') AS tier,
           (SELECT d.strategy FROM routing_decisions d WHERE d.order_id = o.id ORDER BY d.id DESC LIMIT 1)
             AS strategy,
           (SELECT json_agg(json_build_object('id', l.id, 'line_no', l.line_no, 'sku', l.sku,
                                              'quantity', l.quantity, 'weight', p.weight_kg) ORDER BY l.line_no)
            FROM order_lines l JOIN products p ON p.sku = l.sku
            WHERE l.order_id = o.id AND l.status = ANY(:line_statuses)) AS lines,
           (SELECT coalesce(json_agg(json_build_object(
                     'node_id', a.node_id, 'sku', a.sku, 'quantity', a.quantity,
                     'today', (a.created_at AT TIME ZONE n.timezone)::date = (now() AT TIME ZONE n.timezone)::date)),
                     '[]'::json)
            FROM allocations a JOIN nodes n ON n.id = a.node_id JOIN order_lines l ON l.id = a.order_line_id
            WHERE a.order_id = o.id AND l.status = ANY(:line_statuses)) AS allocations
    FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
    WHERE o.status = ANY(:statuses)
      AND (CAST(:channel AS text) IS NULL OR o.channel_id = :channel)
      AND (CAST(:node AS text) IS NULL
           OR EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = o.id AND a.node_id = :node))
      AND (CAST(:created_after AS timestamptz) IS NULL OR o.created_at >= :created_after)
      AND (CAST(:created_before AS timestamptz) IS NULL OR o.created_at < :created_before)
    ORDER BY o.id
    LIMIT :limit
    """
)
_STOCK_AND_CAPACITY = text(
    f"WITH stock AS ({STOCK_SQL}) SELECT (SELECT coalesce(json_agg(stock), '[]'::json) FROM stock) AS stock,"
    f" {CAPACITY_USED_SQL} AS capacity_used, now() AS now"
)


@dataclass(frozen=True, slots=True)
class BacklogOrder:
    id: int
    version: int  # as read: applying a proposal skips an order changed since
    strategy: Strategy
    job: RoutingInput
    line_ids: dict[int, int]  # line number -> line id
    current: Plan | None  # its allocation now, None when it has none
    current_units: dict[str, dict[str, int]]  # node id -> SKU -> units allocated now


@dataclass(frozen=True, slots=True)
class Backlog:
    orders: list[BacklogOrder]
    skipped: list[tuple[int, str]]  # (order id, why it is left out)
    stock: dict[tuple[str, str], int]  # (node, SKU) -> units the backlog may share
    capacity: dict[str, int]  # node -> shipments the backlog may start today


@dataclass(frozen=True, slots=True)
class BacklogQuery:
    statuses: list[str]
    channel: str | None
    node_id: str | None
    created_after: dt.datetime | None
    created_before: dt.datetime | None
    limit: int


def read_backlog(conn: Connection, query: BacklogQuery, config: RoutingConfig) -> Backlog:
    params = {"statuses": query.statuses, "line_statuses": OPEN_LINE_STATUSES, "channel": query.channel,
              "node": query.node_id, "created_after": query.created_after,
              "created_before": query.created_before, "limit": query.limit}  # fmt: skip
    rows = [r for r in conn.execute(_ORDERS, params) if r.lines]
    skus = sorted({line["sku"] for r in rows for line in r.lines})
    facts = conn.execute(_STOCK_AND_CAPACITY, {"skus": skus}).one()
    held = _held_by(rows)
    released = {key: _released(row, held.get(key, 0)) for key, row in locked_rows(facts.stock).items()}
    ref = reference(conn, {node for node, _ in released})
    today = _orders_per_node(rows, today_only=True)
    used = {node: n - today.get(node, 0) for node, n in facts.capacity_used.items()}
    at_nodes = _orders_per_node(rows)
    capacity = {
        node.id: max(node.daily_capacity - used.get(node.id, 0), at_nodes.get(node.id, 0)) for node in ref.active
    }
    stock = {key: max(atp(row.position), held.get(key, 0)) for key, row in released.items()}
    orders, skipped = [], []
    protections: dict[str, list] = {}
    for row in rows:
        if row.channel_id not in protections:
            protections[row.channel_id] = load_protections(conn, row.channel_id, skus)
        order = _backlog_order(conn, row, released, protections[row.channel_id], used, facts.now, config)
        if isinstance(order, str):
            skipped.append((row.id, order))
        else:
            orders.append(order)
    return Backlog(orders, skipped, stock, capacity)


def _backlog_order(
    conn: Connection, row, stock: dict, protections: list, used: dict, now: dt.datetime, config: RoutingConfig
) -> BacklogOrder | str:
    """The order as a job of the joint problem, or why it is left out."""
    if row.service_level == "pickup":
        return "a pickup order ships from the store the customer chose"
    try:
        destination = Destination(row.country, locate(row.country, row.postal_code).point)
    except UnknownCountry:
        return f"no geography is known for {row.country}"
    facts = OrderFacts(row.channel_id, row.country, row.service_level, row.tier, Decimal(row.total_amount),
                       row.promised_delivery_date, region_of(row.country, row.postal_code or ""))  # fmt: skip
    strategy = _strategy(config, facts, row.strategy)
    if strategy is None:
        return "no strategy's conditions match the order"
    lines = [OrderLine(line["line_no"], line["sku"], line["quantity"], float(line["weight"] or 0))
             for line in row.lines]  # fmt: skip
    job = routing_input_from(conn, facts, lines, destination, stock, protections, used, now)
    units: dict[str, dict[str, int]] = defaultdict(dict)
    for a in row.allocations:
        units[a["node_id"]][a["sku"]] = units[a["node_id"]].get(a["sku"], 0) + a["quantity"]
    placed = _as_placed(strategy, len(units))
    current = existing_plan(job, placed, config.rates, units, config.reliability) if units else None
    if units and current is None:
        return "its current allocation cannot be priced (a node without a rate to the destination, or stock"
        " the channel may no longer take)"
    line_ids = {line["line_no"]: line["id"] for line in row.lines}
    return BacklogOrder(row.id, row.version, strategy, job, line_ids, current, dict(units))


def _strategy(config: RoutingConfig, facts: OrderFacts, decided_by: str | None) -> Strategy | None:
    """The strategy whose plan the order got (the fallback that found one, say), if it still exists;
    otherwise the first whose conditions match."""
    named = {s.name: s for s in config.profiles.strategies}
    return named.get(decided_by or "") or choose_strategy(config.profiles, facts)


def _as_placed(strategy: Strategy, nodes: int) -> Strategy:
    """The strategy without the filters and split limit an allocation made earlier, by hand or by other
    rules, may not meet: the order's current plan is priced, not judged."""
    return strategy.model_copy(
        update={"filters": Filters(require_capacity=False), "max_split": max(strategy.max_split, nodes)}
    )


def _held_by(rows) -> dict[tuple[str, str], int]:
    held: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        for a in row.allocations:
            held[(a["node_id"], a["sku"])] += a["quantity"]
    return held


def _released(row: LockedRow, held: int) -> LockedRow:
    """The stock row as if the backlog's orders gave their reservations back."""
    return LockedRow(replace(row.position, reserved=row.position.reserved - held), row.priority,
                     row.fulfilment_types, row.active)  # fmt: skip


def _orders_per_node(rows, today_only: bool = False) -> dict[str, int]:
    """Per node, the backlog orders allocated there (only those whose allocation counts against today's
    capacity, with `today_only`)."""
    at: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        for a in row.allocations:
            if a["today"] or not today_only:
                at[a["node_id"]].add(row.id)
    return {node: len(ids) for node, ids in at.items()}
