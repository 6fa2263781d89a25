"""Column generation (Dantzig-Wolfe) for routing a backlog jointly under stock and node capacity.

The master LP chooses, for each order, a convex combination of its plans (one convexity row per order)
so that no node ships more of a SKU than it holds nor more shipments than its capacity; a plan costs its
score plus `unit_penalty` per unit it leaves unshipped, as in `batch.choose_plans`. Only some plans (the
columns) are in the master at any time. Its dual prices say what a unit of a SKU at a node and a
shipment from a node are worth to the backlog; the exact per-order search, run with those prices added
to its scores (`scoring.Prices`), finds each order's plan of least reduced cost:

    reduced cost = score + unit_penalty * unshipped + prices of the stock and capacity it uses - dual of
                   the order's convexity row

Plans of negative reduced cost join the master and it is solved again. Whatever the round, the master's
value plus each order's least reduced cost (when negative) is a lower bound of the joint optimum (the
Lagrangian bound); once no plan prices out it equals the master's value, the LP bound.

The per-order search ranks plans on units shipped first, then score. That is the ranking of the
master's cost as long as the plan it finds has a priced score of at most `unit_penalty` (any plan
shipping fewer units pays one more penalty). When stock runs short, its dual price nears the penalty
and that can fail: then the plans shipping fewer units that could still cost less are searched too.
The bound is not called proven when a search ran out of its budget.
"""

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import product

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix

from oms.domain.routing.carrier_choice import Outlook, outlook_of
from oms.domain.routing.explain import items_of, nothing_ships, to_plan
from oms.domain.routing.filters import Route, eligible_routes
from oms.domain.routing.model import Plan
from oms.domain.routing.plan_space import Found
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import ReliabilityTable
from oms.domain.routing.scoring import NO_PRICES, Item, Prices, Scorer
from oms.domain.routing.search import Search
from oms.domain.routing.select import RoutingInput

TOLERANCE = 1e-6  # a reduced cost above -TOLERANCE does not price out
FEWER_UNITS_SEARCHES = 200  # per order priced, when shortages price stock near the unit penalty


@dataclass
class _Order:
    """An order as the pricing sees it: its eligible routes never change from round to round."""

    job: RoutingInput
    strategy: Strategy
    items: list[Item]
    routes: list[Route]
    ordered: int
    keys: list[tuple] = field(default_factory=list)  # the prices its plans may pay
    priced_at: tuple | None = None  # those prices when it was last priced
    least: float = 0.0  # its least priced cost at those prices
    exact: bool = True  # whether that search was exact (within its budget)
    outlook: Outlook | None = None  # the predictions its shipments' carriers weigh, if any


@dataclass(frozen=True, slots=True)
class ColumnsOutcome:
    columns: tuple[tuple[Plan, ...], ...]  # the plans generated for each order, shipping nothing included
    lp_value: float  # of the last master LP: an upper bound of the LP bound, equal to it once converged
    bound: float  # a lower bound of the joint optimum (Lagrangian bound; the LP bound once converged)
    converged: bool  # no plan prices out: `bound` is the LP bound
    proven: bool  # every order's last search was exact, so `bound` is a valid lower bound
    rounds: int
    priced: int  # per-order searches run


class ColumnGeneration:
    def __init__(
        self,
        jobs: Sequence[RoutingInput],
        strategies: Sequence[Strategy],
        rates: RateTable,
        stock: Mapping[tuple[str, str], int],
        capacity: Mapping[str, int],
        unit_penalty: float,
        reliability: ReliabilityTable | None = None,
    ):
        self.rates, self.stock, self.capacity, self.penalty = rates, stock, capacity, unit_penalty
        self.orders = [_order(job, s, rates, reliability) for job, s in zip(jobs, strategies, strict=True)]
        for o in self.orders:
            o.keys = [("cap", r.node.id) for r in o.routes if r.node.id in capacity]
            o.keys += [
                ("stock", r.node.id, i.sku) for r in o.routes for i in o.items if (r.node.id, i.sku) in stock
            ]
        self.columns: list[dict[tuple, Plan]] = [{(): _nothing(o)} for o in self.orders]
        self.priced = 0

    def add(self, o: int, plan: Plan) -> None:
        self.columns[o].setdefault(_signature(plan), plan)

    def run(self, time_limit: float | None = None, max_rounds: int = 200) -> ColumnsOutcome:
        started, rounds = time.perf_counter(), 0
        while True:
            value, convexity, prices = self.solve_master()
            least, added = self.price(convexity, prices)
            bound = value + sum(min(0.0, rc) for rc in least)
            rounds += 1
            converged = all(rc > -TOLERANCE for rc in least)
            out_of_time = time_limit is not None and time.perf_counter() - started > time_limit
            if converged or not added or out_of_time or rounds >= max_rounds:
                if not converged:  # the columns just priced are in; the bound stands as computed
                    value = self.solve_master()[0]
                columns = tuple(tuple(c.values()) for c in self.columns)
                proven = all(o.exact for o in self.orders)
                return ColumnsOutcome(columns, value, bound, converged, proven, rounds, self.priced)

    def solve_master(self) -> tuple[float, np.ndarray, dict[tuple, float]]:
        """The master LP over the columns so far: its value, the convexity duals and the resource prices."""
        costs, rows, cols, vals, resource = [], [], [], [], {}
        for o, order in enumerate(self.orders):
            for plan in self.columns[o].values():
                j = len(costs)
                costs.append(plan.score + self.penalty * (order.ordered - plan.units))
                rows.append(o), cols.append(j), vals.append(1.0)
                for key, used in _uses(plan, self.stock, self.capacity):
                    rows.append(len(self.orders) + resource.setdefault(key, len(resource)))
                    cols.append(j), vals.append(used)
        n = len(self.orders)
        matrix = coo_matrix((vals, (rows, cols)), shape=(n + len(resource), len(costs))).tocsr()
        limits = [self.capacity[k[1]] if k[0] == "cap" else self.stock[k[1:]] for k in resource]
        result = linprog(
            np.array(costs), A_ub=matrix[n:], b_ub=np.array(limits, dtype=float), A_eq=matrix[:n],
            b_eq=np.ones(n), bounds=(0, None), method="highs",
        )  # fmt: skip
        if result.status != 0:
            raise RuntimeError(f"master LP failed: {result.message}")
        prices = {k: max(0.0, -m) for k, m in zip(resource, result.ineqlin.marginals, strict=True)}
        return result.fun, result.eqlin.marginals, prices

    def price(self, convexity: np.ndarray, prices: Mapping[tuple, float]) -> tuple[list[float], int]:
        """Each order's least reduced cost, and how many new plans joined the columns: each order's best
        priced plan joins its columns (when new). An order whose prices have not changed since it was
        last priced keeps its least priced cost: that plan is among its columns already."""
        least, added = [], 0
        for o, order in enumerate(self.orders):
            at = tuple(round(prices.get(k, 0.0), 9) for k in order.keys)
            if at != order.priced_at:
                order.priced_at = at
                plan, order.least = self._best(order, prices)
                if plan is not None and _signature(plan) not in self.columns[o]:
                    self.add(o, plan)
                    added += 1
            least.append(order.least - convexity[o])
        return least, added

    def _best(self, order: _Order, prices: Mapping[tuple, float]) -> tuple[Plan | None, float]:
        """The order's plan of least priced cost (`unit_penalty` per unit unshipped included) and that
        cost; None for shipping nothing."""
        self.priced += 1
        unit = {(k[1], k[2]): p for k, p in prices.items() if k[0] == "stock" and p > 0}
        shipment = {k[1]: p for k, p in prices.items() if k[0] == "cap" and p > 0}
        partial = order.strategy.partial_fulfilment != "ship_complete"
        routes = _affordable(order.routes, unit, self.penalty) if partial else order.routes
        scorer = Scorer(order.strategy.objective, routes, order.items, Prices(unit, shipment), order.outlook)
        found = Search(order.items, scorer, order.strategy).run()
        order.exact = found is None or found.exact
        best, chosen = self.penalty * order.ordered, None
        if found is not None and found.units:
            value = found.score + self.penalty * (order.ordered - found.units)
            if value < best:
                best, chosen = value, found
            if partial and found.score > self.penalty:
                best, chosen = self._fewer_units(order, scorer, found.units, best, chosen)
        if chosen is None:
            return None, best
        plain = Scorer(order.strategy.objective, routes, order.items, outlook=order.outlook)
        found = Found(chosen.plan, chosen.units, plain.score(chosen.plan), True)
        return to_plan(found, order.job.lines, plain), best

    def _fewer_units(
        self, order: _Order, scorer: Scorer, units: int, best: float, chosen: Found | None
    ) -> tuple[float, Found | None]:
        """The search ranks plans on units first: when its plan's priced score exceeds the penalty of a
        unit, a plan shipping fewer than its `units` may cost less. Each smaller vector of quantities
        that could still win (its penalties alone cost less than `best`, the cost of `chosen`) is
        searched under ship_complete, most units first; past `FEWER_UNITS_SEARCHES` the order's pricing
        is no longer exact."""
        complete = order.strategy.model_copy(update={"partial_fulfilment": "ship_complete"})
        quantities = product(*(range(i.quantity, -1, -1) for i in order.items))
        vectors = sorted((q for q in quantities if 0 < sum(q) < units), key=sum, reverse=True)
        for n, q in enumerate(vectors):
            if self.penalty * (order.ordered - sum(q)) >= best:
                break
            if n >= FEWER_UNITS_SEARCHES:
                order.exact = False
                break
            items = [Item(i.sku, k, i.unit_weight_kg) for i, k in zip(order.items, q, strict=True) if k]
            fewer = Search(items, scorer, complete).run()
            if fewer is None:
                continue
            order.exact &= fewer.exact
            value = fewer.score + self.penalty * (order.ordered - fewer.units)
            if value < best:
                best, chosen = value, fewer
        return best, chosen


def _affordable(
    routes: Sequence[Route], unit: Mapping[tuple[str, str], float], penalty: float
) -> list[Route]:
    """The routes without the stock priced at `penalty` or more a unit. When part of an order may ship,
    shipping such a unit costs at least what leaving it unshipped does, so the plans using it never cost
    less than those without."""
    dear: dict[str, set[str]] = {}
    for (node, sku), p in unit.items():
        if p >= penalty:
            dear.setdefault(node, set()).add(sku)
    if not dear:
        return list(routes)
    kept = []
    for r in routes:
        skus = dear.get(r.node.id)
        if skus:
            stock = {s: q for s, q in r.node.stock.items() if s not in skus}
            r = replace(r, node=replace(r.node, stock=stock))
        kept.append(r)
    return kept


def _order(
    job: RoutingInput, strategy: Strategy, rates: RateTable, reliability: ReliabilityTable | None
) -> _Order:
    items = items_of(job.lines)
    skus = {i.sku for i in items}
    routes, _ = eligible_routes(job.order, skus, job.destination, job.candidates, strategy.filters, rates)
    outlook = outlook_of(job.order, reliability)
    return _Order(job, strategy, items, routes, sum(i.quantity for i in items), outlook=outlook)


def _nothing(order: _Order) -> Plan:
    return nothing_ships(order.job.lines, Scorer(order.strategy.objective, [], order.items, NO_PRICES))


def _uses(plan: Plan, stock: Mapping, capacity: Mapping):
    """(resource, amount) the plan takes of the limited resources."""
    for s in plan.shipments:
        if s.node_id in capacity:
            yield ("cap", s.node_id), 1
        for _, sku, q in s.lines:
            if (s.node_id, sku) in stock:
                yield ("stock", s.node_id, sku), q


def _signature(plan: Plan) -> tuple:
    return tuple(sorted((s.node_id, s.lines) for s in plan.shipments))
