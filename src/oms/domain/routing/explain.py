"""From the search's route indexes and SKUs back to what an order and a person read: shipments of order
lines, backorders, and a verdict for every candidate node."""

from collections.abc import Sequence

from oms.domain.routing.model import NodeVerdict, OrderLine, Plan, PlannedShipment
from oms.domain.routing.plan_space import Found
from oms.domain.routing.scoring import Item, Scorer


def items_of(lines: Sequence[OrderLine]) -> list[Item]:
    """One item per SKU: lines of the same SKU share the stock they are routed from."""
    quantity: dict[str, int] = {}
    weight: dict[str, float] = {}
    for line in lines:
        quantity[line.sku] = quantity.get(line.sku, 0) + line.quantity
        weight.setdefault(line.sku, line.unit_weight_kg)
    return [Item(sku, q, weight[sku]) for sku, q in quantity.items()]


def to_plan(found: Found, lines: Sequence[OrderLine], scorer: Scorer) -> Plan:
    """Units of each SKU go to its lines in line order; what no shipment covers is backordered."""
    open_lines = {line.line_no: line.quantity for line in lines}
    by_sku: dict[str, list[int]] = {}
    for line in sorted(lines, key=lambda line: line.line_no):
        by_sku.setdefault(line.sku, []).append(line.line_no)
    shipments = []
    for r in sorted(found.plan, key=lambda r: scorer.routes[r].node.id):
        units = found.plan[r]
        parts = []
        for sku, qty in units.items():
            for line_no in by_sku[sku]:
                take = min(qty, open_lines[line_no])
                if take:
                    parts.append((line_no, sku, take))
                    open_lines[line_no] -= take
                    qty -= take
        shipments.append(_shipment(scorer, r, tuple(sorted(parts)), scorer.weight_of(units)))
    backorders = tuple(
        (line.line_no, line.sku, open_lines[line.line_no]) for line in lines if open_lines[line.line_no] > 0
    )
    return Plan(
        tuple(shipments), backorders, round(found.score, 4), scorer.breakdown(found.plan), found.exact
    )


def _shipment(scorer: Scorer, r: int, parts: tuple, weight: float) -> PlannedShipment:
    """With a reliability table the shipment carries its carrier's predicted on-time odds and transit."""
    node = scorer.routes[r].node
    choice = scorer.carrier(r, weight)
    if choice is None:
        quote = scorer.routes[r].lane.quote(weight)
        return PlannedShipment(node.id, quote.carrier, parts, round(weight, 3), round(quote.cost, 2),
                               node.transit_days)  # fmt: skip
    return PlannedShipment(node.id, choice.carrier, parts, round(weight, 3), round(choice.cost, 2),
                           node.transit_days, round(choice.on_time, 4), round(choice.transit_mean, 2))  # fmt: skip


def nothing_ships(lines: Sequence[OrderLine], scorer: Scorer) -> Plan:
    backorders = tuple((line.line_no, line.sku, line.quantity) for line in lines)
    return Plan((), backorders, 0.0, scorer.breakdown({}), exact=True)


def eligible_verdicts(items: Sequence[Item], scorer: Scorer, plan: Found | None) -> list[NodeVerdict]:
    """Each eligible node scored as if it shipped alone what it holds of the order."""
    verdicts = []
    for r, route in enumerate(scorer.routes):
        held = {i.sku: min(i.quantity, route.node.stock.get(i.sku, 0)) for i in items}
        alone = {r: {sku: q for sku, q in held.items() if q > 0}}
        chosen = plan is not None and r in plan.plan
        verdicts.append(
            NodeVerdict(route.node.id, units=sum(held.values()), alone=scorer.breakdown(alone), chosen=chosen)
        )
    return verdicts
