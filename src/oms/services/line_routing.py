"""Routing lines of an order already captured — backorders allocated again, lines an edit changed,
allocations a reroute moved — with the engine, profiles, rates and filters capture uses, then reserving
the plan and storing the decision. The caller has locked the stock of the lines' SKUs
(reservations.lock_inventory) and the order row, so what routing reads is what gets reserved.

A node that already ships part of the order is preferred whenever the nodes already shipping it can
ship everything the engine's own plan would: adding units to a parcel that leaves anyway takes no
extra shipment and no daily capacity (the counter counts a node once per order), and cannot make the
order arrive later, since the customer waits for that parcel regardless. The engine prices every
shipment as new, so it is asked twice: over all candidates, then over the order's nodes only."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import partial

from sqlalchemy import Connection, Row, text

from oms.domain.allocation import Allocation, LineRequest
from oms.domain.routing.model import Attempt, Candidate, Decision, NodeVerdict, OrderFacts
from oms.domain.routing.reliability import region_of
from oms.domain.routing.select import RoutingInput, route_order
from oms.services.actor import Actor
from oms.services.availability import PROTECTIONS_JSON_SQL, protections_from_json
from oms.services.node_capacity import CAPACITY_USED_SQL
from oms.services.order_routing import route_requests
from oms.services.reservations import LockedRow, OrderContext, reserve
from oms.services.routing_config import RoutingConfig
from oms.services.routing_decisions import record_decision

ORDER_NODES = "order-nodes"  # the attempt that kept a top-up to the nodes already shipping the order

_FACTS = text(
    f"""
    WITH stock AS (SELECT DISTINCT node_id FROM inventory WHERE sku = ANY(:skus))
    SELECT o.ship_to->>'postal_code' AS postal_code, o.ship_to_country AS country, o.promised_delivery_date,
           o.total_amount, coalesce(c.tier, 'standard') AS tier,
           (SELECT coalesce(json_object_agg(sku, weight_kg), '{{}}'::json) FROM products WHERE sku = ANY(:skus))
             AS weights,
           {PROTECTIONS_JSON_SQL} AS protections,
           {CAPACITY_USED_SQL} AS capacity_used,
           ARRAY(SELECT DISTINCT node_id FROM allocations WHERE order_id = o.id) AS shipping_from,
           now() AS now
    FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
    WHERE o.id = :id
    """
)


@dataclass(frozen=True, slots=True)
class LinesRouted:
    picks: list[Allocation]  # what was reserved
    backorders: list[LineRequest]  # what found no node
    decision: Decision


def route_lines(
    conn: Connection,
    actor: Actor,
    order: Row,
    requests: list[tuple[int, LineRequest]],
    locked: dict[tuple[str, str], LockedRow],
    reason: str,
    avoid: Mapping[str, str] | None = None,
) -> LinesRouted:
    """Route and reserve `requests` ((line id, request) pairs) of `order` (a locked row with id,
    channel_id, service_level and pickup_node_id), leaving out the nodes of `avoid` (node id -> why),
    and record the decision under `reason`."""
    avoid = avoid or {}
    wanted = [request for _, request in requests]
    skus = sorted({r.sku for r in wanted})
    facts = conn.execute(_FACTS, {"id": order.id, "skus": skus, "channel": order.channel_id}).one()
    stock = {key: row for key, row in locked.items() if key[0] not in avoid}
    context = OrderContext(order.channel_id, order.service_level, order.pickup_node_id)
    order_facts = OrderFacts(order.channel_id, facts.country, order.service_level, facts.tier,
                             Decimal(facts.total_amount), facts.promised_delivery_date,
                             region_of(facts.country, facts.postal_code or ""))  # fmt: skip
    protections = protections_from_json(order.channel_id, facts.protections)
    prefer = partial(_prefer_order_nodes, shipping_from=set(facts.shipping_from))
    routed = route_requests(conn, context, order_facts, facts.postal_code, wanted, facts.weights, stock,
                            protections, facts.capacity_used, facts.now, decide=prefer)  # fmt: skip
    reserve(conn, locked, order.id, {r.line_no: line_id for line_id, r in requests}, routed.picks)
    decision = _with_avoided(routed.decision, avoid, {node for node, _ in locked})
    record_decision(conn, order.id, reason, actor, routed.config, decision)
    return LinesRouted(routed.picks, _missing(wanted, routed.picks), decision)


def _prefer_order_nodes(job: RoutingInput, config: RoutingConfig, shipping_from: set[str]) -> Decision:
    """The engine's decision, unless the nodes already shipping the order ship as many units (see the
    module's docstring)."""
    candidates = [_no_new_shipment(c) if c.id in shipping_from else c for c in job.candidates]
    job = replace(job, candidates=candidates)
    engine = route_order(job, config.profiles, config.rates, reliability=config.reliability)
    ours = [c for c in candidates if c.id in shipping_from]
    if not ours or engine.plan is None or {s.node_id for s in engine.plan.shipments} <= shipping_from:
        return engine
    kept = route_order(
        replace(job, candidates=ours), config.profiles, config.rates, reliability=config.reliability
    )
    if kept.plan is None or kept.plan.units < engine.plan.units:
        return engine
    would = ", ".join(f"{sum(q for *_, q in s.lines)} from {s.node_id}" for s in engine.plan.shipments)
    why = f"the nodes already shipping the order take all {kept.plan.units} units (a new plan would ship {would})"
    verdicts = {v.node_id: replace(v, chosen=False) for v in engine.candidates}
    verdicts |= {v.node_id: v for v in kept.candidates}
    return replace(
        kept, candidates=tuple(verdicts.values()), attempts=(*kept.attempts, Attempt(ORDER_NODES, why))
    )


def _no_new_shipment(node: Candidate) -> Candidate:
    """A node already shipping the order takes more of it without using capacity."""
    return replace(node, remaining_capacity=min(node.daily_capacity, node.remaining_capacity + 1))


def _with_avoided(decision: Decision, avoid: Mapping[str, str], nodes: set[str]) -> Decision:
    """The decision with a verdict for each left-out node that holds the SKUs routed."""
    left_out = tuple(NodeVerdict(n, filtered_by="excluded_nodes", reason=why)
                     for n, why in sorted(avoid.items()) if n in nodes)  # fmt: skip
    return replace(decision, candidates=decision.candidates + left_out) if left_out else decision


def _missing(wanted: list[LineRequest], picks: list[Allocation]) -> list[LineRequest]:
    found: dict[int, int] = {}
    for pick in picks:
        found[pick.line_no] = found.get(pick.line_no, 0) + pick.quantity
    return [replace(r, quantity=r.quantity - found.get(r.line_no, 0))
            for r in wanted if r.quantity > found.get(r.line_no, 0)]  # fmt: skip
