"""One yardstick for every method: a plan is node index -> SKU -> units; its cost is the benchmark's
objective (carrier cost, split penalty, SLA risk) recomputed from the rate table, and the backlog's plans
together must fit the stock and capacity the nodes started with."""

from dataclasses import dataclass
from datetime import timedelta

from evals.routing.instances import TODAY, Instance, Order, transit_days
from oms.domain.routing.rates import lane_between

NodePlan = dict[int, dict[str, int]]


@dataclass
class Figures:
    name: str
    cost: float
    unshipped: int
    shipments_per_order: float
    on_time: float  # share of orders shipped in full with every parcel delivered by the promised date
    p50_ms: float
    p99_ms: float
    note: str = ""


def plan_cost(inst: Instance, order: Order, plan: NodePlan) -> tuple[float, bool]:
    """(objective, delivered on time) of one order's plan."""
    w = inst.strategy.objective
    weight = {line.sku: line.unit_weight_kg for line in order.lines}
    cost, late = 0.0, 0
    for n, units in plan.items():
        node = inst.nodes[n]
        lane = lane_between(
            inst.rates, node.country, node.point, order.destination, order.facts.service_level
        )
        cost += w.shipping_cost * lane.quote(sum(q * weight[s] for s, q in units.items())).cost + w.split
        delivered = TODAY + timedelta(days=node.processing_days + transit_days(node, order.destination))
        late = max(late, (delivered - order.facts.promised_delivery_date).days)
    cost -= w.split if plan else 0.0
    return cost + w.sla_risk * late, late <= 0


def figures(name: str, inst: Instance, plans: list[NodePlan], times_ms: list[float], note="") -> Figures:
    check_feasible(inst, plans)
    cost, on_time, unshipped, shipments = 0.0, 0, 0, 0
    for order, plan in zip(inst.orders, plans, strict=True):
        c, timely = plan_cost(inst, order, plan)
        missing = sum(line.quantity for line in order.lines) - sum(
            q for u in plan.values() for q in u.values()
        )
        cost, unshipped, shipments = cost + c, unshipped + missing, shipments + len(plan)
        on_time += timely and missing == 0
    times = sorted(times_ms)
    p50, p99 = times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]
    n = len(inst.orders)
    return Figures(name, cost, unshipped, shipments / n, on_time / n, p50, p99, note)


def check_feasible(inst: Instance, plans: list[NodePlan]) -> None:
    taken: dict[tuple[int, str], int] = {}
    opened: dict[int, int] = {}
    for order, plan in zip(inst.orders, plans, strict=True):
        wanted = {}
        for line in order.lines:
            wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
        for n, units in plan.items():
            opened[n] = opened.get(n, 0) + 1
            for sku, q in units.items():
                taken[(n, sku)] = taken.get((n, sku), 0) + q
                wanted[sku] -= q
        assert all(v >= 0 for v in wanted.values()), f"{order.id} ships more than ordered"
    for (n, sku), q in taken.items():
        assert q <= inst.nodes[n].stock.get(sku, 0), (
            f"{inst.nodes[n].id} ships {q} of {sku}, beyond its stock"
        )
    for n, k in opened.items():
        assert k <= inst.nodes[n].remaining, f"{inst.nodes[n].id} ships {k} parcels, beyond its capacity"
