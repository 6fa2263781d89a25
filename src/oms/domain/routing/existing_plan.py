"""An order's existing allocation as a plan of the engine, scored like any plan the search returns, so a
re-optimisation can compare (and keep) what the order has."""

from collections.abc import Mapping

from oms.domain.routing.carrier_choice import outlook_of
from oms.domain.routing.explain import items_of, to_plan
from oms.domain.routing.filters import eligible_routes
from oms.domain.routing.model import Plan
from oms.domain.routing.plan_space import Found
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import ReliabilityTable
from oms.domain.routing.scoring import Scorer
from oms.domain.routing.select import RoutingInput


def existing_plan(
    job: RoutingInput,
    strategy: Strategy,
    rates: RateTable,
    units: Mapping[str, Mapping[str, int]],
    reliability: ReliabilityTable | None = None,
) -> Plan | None:
    """`units` (node id -> SKU -> units allocated there) as a plan of `job` under `strategy`; None when
    the strategy could not have chosen it (a node its filters leave out, more units than the candidate
    may take, more shipments than `max_split`)."""
    items = items_of(job.lines)
    routes, _ = eligible_routes(
        job.order, {i.sku for i in items}, job.destination, job.candidates, strategy.filters, rates
    )
    index = {route.node.id: r for r, route in enumerate(routes)}
    if any(node not in index for node in units) or len(units) > strategy.max_split:
        return None
    plan = {index[node]: dict(skus) for node, skus in units.items() if skus}
    if any(q > routes[r].node.stock.get(sku, 0) for r, skus in plan.items() for sku, q in skus.items()):
        return None
    scorer = Scorer(strategy.objective, routes, items, outlook=outlook_of(job.order, reliability))
    shipped = sum(q for skus in plan.values() for q in skus.values())
    return to_plan(Found(plan, shipped, scorer.score(plan), True), job.lines, scorer)
