"""Routing one order: the first strategy whose conditions match, then its fallbacks while a strategy
ships nothing. A strategy that ships part of the order under ship_available_backorder_rest has found
its plan; under ship_complete a partial order ships nothing, so its fallback gets the order."""

from collections.abc import Sequence
from dataclasses import dataclass

from oms.domain.promise_model import Destination
from oms.domain.routing.carrier_choice import outlook_of
from oms.domain.routing.explain import eligible_verdicts, items_of, nothing_ships, to_plan
from oms.domain.routing.filters import eligible_routes, reach_of
from oms.domain.routing.model import Attempt, Candidate, Decision, NodeVerdict, OrderFacts, OrderLine, Plan
from oms.domain.routing.plan_space import Found
from oms.domain.routing.profiles import ProfileSet, Strategy
from oms.domain.routing.rates import Lane, RateTable
from oms.domain.routing.reliability import ReliabilityTable
from oms.domain.routing.scoring import NO_PRICES, Prices, Scorer
from oms.domain.routing.search import DEFAULT_BUDGET, Search


@dataclass(frozen=True, slots=True)
class RoutingInput:
    order: OrderFacts
    lines: Sequence[OrderLine]
    destination: Destination
    candidates: Sequence[Candidate]


def choose_strategy(profiles: ProfileSet, order: OrderFacts) -> Strategy | None:
    return next((s for s in profiles.strategies if s.conditions.failed(order) is None), None)


def route_order(
    job: RoutingInput,
    profiles: ProfileSet,
    rates: RateTable,
    budget: int = DEFAULT_BUDGET,
    prices: Prices = NO_PRICES,
    reliability: ReliabilityTable | None = None,
) -> Decision:
    """`reliability` is the table the profile set pins (its reliability_version), None when it pins none."""
    strategy = choose_strategy(profiles, job.order)
    if strategy is None:
        return Decision(None, None, (), (Attempt("-", "no strategy's conditions match the order"),))
    attempts = []
    reach = reach_of(job.order, job.destination, job.candidates, rates)
    while True:
        plan, verdicts = run_strategy(job, strategy, rates, budget, prices, reliability, reach)
        attempts.append(Attempt(strategy.name, _outcome(plan)))
        if plan.shipments or strategy.fallback is None:
            return Decision(strategy.name, plan, verdicts, tuple(attempts))
        strategy = profiles.named(strategy.fallback)


def run_strategy(
    job: RoutingInput,
    strategy: Strategy,
    rates: RateTable,
    budget: int = DEFAULT_BUDGET,
    prices: Prices = NO_PRICES,
    reliability: ReliabilityTable | None = None,
    reach: Sequence[tuple[float, Lane | None]] | None = None,
) -> tuple[Plan, tuple[NodeVerdict, ...]]:
    """The strategy's best plan for the order and every candidate's verdict. `prices` (bid prices, see
    oms.domain.routing.bid_prices) are added to the scores the search compares, not to the plan's.
    `reach` is filters.reach_of the job, when the caller has it."""
    items = items_of(job.lines)
    skus = {i.sku for i in items}
    routes, rejected = eligible_routes(
        job.order, skus, job.destination, job.candidates, strategy.filters, rates, reach
    )
    outlook = outlook_of(job.order, reliability)
    scorer = Scorer(strategy.objective, routes, items, outlook=outlook)
    if not routes:  # the search could only find that nothing ships: often so, strategy after strategy
        return nothing_ships(job.lines, scorer), _in_order(job, rejected)
    priced = scorer if prices == NO_PRICES else Scorer(strategy.objective, routes, items, prices, outlook)
    found = Search(items, priced, strategy, budget).run()
    if found is not None and priced is not scorer:
        found = Found(found.plan, found.units, scorer.score(found.plan), found.exact)
    plan = nothing_ships(job.lines, scorer) if found is None else to_plan(found, job.lines, scorer)
    return plan, _in_order(job, rejected + eligible_verdicts(items, scorer, found))


def _in_order(job: RoutingInput, verdicts: list[NodeVerdict]) -> tuple[NodeVerdict, ...]:
    by_id = {v.node_id: v for v in verdicts}
    return tuple(by_id[c.id] for c in job.candidates)


def _outcome(plan: Plan) -> str:
    ordered = plan.units + sum(q for _, _, q in plan.backorders)
    if not plan.shipments:
        return f"ships nothing of {ordered} units"
    return f"ships {plan.units} of {ordered} units in {len(plan.shipments)} shipment(s)"
