"""Batch re-optimisation: route a backlog of orders jointly under stock and node daily capacity.

`reoptimise` is the entry point: column generation (`colgen`) prices plans for each order with the
backlog's dual prices of stock and capacity, then a MILP picks one plan per order among all the plans
generated (and each order's current plan, when given). It reports the column generation's lower bound
of the joint optimum next to the plans, so the cost of the answer is known to within a proven gap.

`choose_plans` is the MILP (scipy's HiGHS): one plan per order among its candidates, so that no node
ships more of a SKU than it holds nor more shipments than its remaining capacity, minimising the plans'
scores plus `unit_penalty` per unit left unshipped (so more units shipped wins first, as in the
per-order search).
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from oms.domain.routing.colgen import ColumnGeneration
from oms.domain.routing.model import OrderLine, Plan
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import ReliabilityTable
from oms.domain.routing.select import RoutingInput

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
    reliability: ReliabilityTable | None = None,
) -> BatchOutcome:
    """One plan per order of the backlog `jobs` (each routed by its strategy), within `stock`
    ((node, SKU) -> units) and `capacity` (node -> shipments) together. Column generation takes up to
    half of `time_limit`, the MILP the rest. `current` plans (e.g. those the orders got on arrival,
    feasible together) are offered to the MILP too, so re-optimising never does worse than them.
    `reliability`: the table the profiles pin, as for `select.route_order`."""
    started = time.perf_counter()
    generation = ColumnGeneration(jobs, strategies, rates, stock, capacity, unit_penalty, reliability)
    for o, plan in enumerate(current or ()):
        generation.add(o, plan)
    columns = generation.run(time_limit=time_limit / 2)
    left = max(1.0, time_limit - (time.perf_counter() - started))
    outcome = choose_plans(columns.columns, [j.lines for j in jobs], stock, capacity, unit_penalty, left)
    bound = columns.bound if columns.proven else None
    return replace(outcome, bound=bound, columns=sum(len(c) for c in columns.columns))


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
