"""Batch re-optimisation: route a backlog of orders jointly under stock and node daily capacity.

`reoptimise` is the entry point: column generation (`colgen`) prices plans for each order with the
backlog's dual prices of stock and capacity, then a MILP picks one plan per order among all the plans
generated (and each order's current plan, when given). It reports the column generation's lower bound
of the joint optimum next to the plans, so the cost of the answer is known to within a proven gap.

The older pools remain (`plan_pool`, used by tests and as extra columns): each order brings a pool of candidate plans (`plan_pool`): its best plan from the per-order search, the
best plan without each node that plan uses, its best single-node plans, and shipping nothing. A MILP
(scipy's HiGHS) picks one plan per order so that no node ships more of a SKU than it holds nor more
shipments than its remaining capacity, minimising the plans' scores plus `unit_penalty` per unit left
unshipped (so more units shipped wins first, as in the per-order search). Shipping nothing is always in
the pool, so the MILP is always feasible.
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from oms.domain.routing.colgen import ColumnGeneration
from oms.domain.routing.explain import items_of, nothing_ships, to_plan
from oms.domain.routing.filters import eligible_routes
from oms.domain.routing.model import OrderLine, Plan
from oms.domain.routing.plan_space import Found
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import RateTable
from oms.domain.routing.scoring import Scorer
from oms.domain.routing.select import RoutingInput, run_strategy

UNIT_PENALTY = 1000.0


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    plans: tuple[Plan, ...]  # one per order, in the backlog's order
    total: float  # sum of the chosen plans' scores
    unshipped: int  # units left unshipped over the backlog
    status: str  # the solver's message
    gap: float | None  # relative MIP gap the solver reports, when it has one
    bound: float | None = None  # a proven lower bound of the joint optimum (unit penalties included)
    columns: int = 0  # plans the MILP chose among


def reoptimise(
    jobs: Sequence[RoutingInput],
    strategies: Sequence[Strategy],
    rates: RateTable,
    stock: Mapping[tuple[str, str], int],
    capacity: Mapping[str, int],
    time_limit: float = 30.0,
    current: Sequence[Plan] | None = None,
    unit_penalty: float = UNIT_PENALTY,
) -> BatchOutcome:
    """One plan per order of the backlog `jobs` (each routed by its strategy), within `stock`
    ((node, SKU) -> units) and `capacity` (node -> shipments) together. Column generation takes up to
    half of `time_limit`, the MILP the rest. `current` plans (e.g. those the orders got on arrival,
    feasible together) are offered to the MILP too, so re-optimising never does worse than them."""
    started = time.perf_counter()
    generation = ColumnGeneration(jobs, strategies, rates, stock, capacity, unit_penalty)
    for o, plan in enumerate(current or ()):
        generation.add(o, plan)
    columns = generation.run(time_limit=time_limit / 2)
    left = max(1.0, time_limit - (time.perf_counter() - started))
    outcome = choose_plans(columns.columns, [j.lines for j in jobs], stock, capacity, unit_penalty, left)
    bound = columns.bound if columns.proven else None
    return replace(outcome, bound=bound, columns=sum(len(c) for c in columns.columns))


def plan_pool(job: RoutingInput, strategy: Strategy, rates: RateTable, singles: int = 6) -> list[Plan]:
    """Candidate plans for one order, best first, without duplicates; shipping nothing comes last."""
    best, _ = run_strategy(job, strategy, rates)
    pool = [best]
    for shipment in best.shipments:
        others = [c for c in job.candidates if c.id != shipment.node_id]
        pool.append(run_strategy(replace(job, candidates=others), strategy, rates)[0])
    pool += _single_node_plans(job, strategy, rates)[:singles]
    pool.append(nothing_ships(job.lines, Scorer(strategy.objective, [], items_of(job.lines))))
    unique: dict[tuple, Plan] = {}
    for plan in pool:
        unique.setdefault(_signature(plan), plan)
    return sorted(unique.values(), key=lambda p: (-p.units, p.score))


def _single_node_plans(job: RoutingInput, strategy: Strategy, rates: RateTable) -> list[Plan]:
    items = items_of(job.lines)
    routes, _ = eligible_routes(
        job.order, {i.sku for i in items}, job.destination, job.candidates, strategy.filters, rates
    )
    scorer, total = Scorer(strategy.objective, routes, items), sum(i.quantity for i in items)
    plans = []
    for r, route in enumerate(routes):
        units = {i.sku: min(i.quantity, route.node.stock.get(i.sku, 0)) for i in items}
        units = {sku: q for sku, q in units.items() if q > 0}
        shipped = sum(units.values())
        if shipped and (shipped == total or strategy.partial_fulfilment != "ship_complete"):
            plan = {r: units}
            plans.append(to_plan(Found(plan, shipped, scorer.score(plan), True), job.lines, scorer))
    return sorted(plans, key=lambda p: (-p.units, p.score))


def _signature(plan: Plan) -> tuple:
    return tuple(sorted((s.node_id, s.lines) for s in plan.shipments))


def choose_plans(
    pools: Sequence[Sequence[Plan]],
    lines: Sequence[Sequence[OrderLine]],
    stock: Mapping[tuple[str, str], int],
    capacity: Mapping[str, int],
    unit_penalty: float = UNIT_PENALTY,
    time_limit: float | None = None,
) -> BatchOutcome:
    """One plan per order from its pool: the cheapest combination within `stock` ((node, SKU) -> units)
    and `capacity` (node -> shipments); nodes or SKUs missing from them are not limited."""
    columns = [(o, p) for o, pool in enumerate(pools) for p in pool]
    ordered = [sum(line.quantity for line in ls) for ls in lines]
    cost = np.array([p.score + unit_penalty * (ordered[o] - p.units) for o, p in columns])
    rows, cols, vals, upper = [], [], [], []
    for o in range(len(pools)):  # exactly one plan per order: written as >= 1 and <= 1 below
        rows += [o] * len(pools[o])
    cols += list(range(len(columns)))
    vals += [1.0] * len(columns)
    resource: dict[tuple, int] = {}
    for j, (_, plan) in enumerate(columns):
        for s in plan.shipments:
            for key, used in [
                (("cap", s.node_id), 1),
                *((("stock", s.node_id, sku), q) for _, sku, q in s.lines),
            ]:
                limit = capacity.get(key[1]) if key[0] == "cap" else stock.get(key[1:])
                if limit is None:
                    continue
                row = resource.setdefault(key, len(pools) + len(resource))
                if len(upper) < len(resource):
                    upper.append(limit)
                rows.append(row)
                cols.append(j)
                vals.append(used)
    n_rows = len(pools) + len(resource)
    matrix = coo_matrix((vals, (rows, cols)), shape=(n_rows, len(columns))).tocsr()
    low = np.concatenate([np.ones(len(pools)), np.full(len(resource), -np.inf)])
    high = np.concatenate([np.ones(len(pools)), np.array(upper, dtype=float)])
    options = {"time_limit": time_limit} if time_limit else {}
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, low, high),
        integrality=np.ones(len(columns)),
        bounds=Bounds(0, 1),
        options=options,
    )
    if result.x is None:
        raise RuntimeError(f"batch routing found no plan: {result.message}")
    chosen: list[Plan | None] = [None] * len(pools)
    for j, (o, plan) in enumerate(columns):
        if result.x[j] > 0.5:
            chosen[o] = plan
    assert all(p is not None for p in chosen), "the MILP must pick one plan per order"
    unshipped = sum(ordered[o] - p.units for o, p in enumerate(chosen))
    gap = getattr(result, "mip_gap", None)
    return BatchOutcome(tuple(chosen), sum(p.score for p in chosen), unshipped, result.message, gap)
