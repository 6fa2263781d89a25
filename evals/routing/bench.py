"""Routing benchmark: `python -m evals.routing.bench` (see README.md in this folder)."""

import argparse
import json
import time
from dataclasses import asdict, replace

from evals.routing.bench_predictions import learnt_table, weighing_lateness
from evals.routing.evaluate import Figures, NodePlan, figures
from evals.routing.instances import Instance, candidates, generate, with_orders
from oms.domain.routing.batch import UNIT_PENALTY, choose_plans, reoptimise
from oms.domain.routing.bid_prices import bid_prices
from oms.domain.routing.colgen import ColumnGeneration
from oms.domain.routing.model import Plan
from oms.domain.routing.select import RoutingInput, run_strategy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--orders", type=int, default=1200)
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for the joint MILP")
    parser.add_argument(
        "--batch-limit", type=float, default=30.0, help="seconds for the batch re-optimisation"
    )
    parser.add_argument("--forecast-seed", type=int, help="orders the bid prices come from (seed + 1)")
    parser.add_argument("--whole-lines", action="store_true", help="a strategy that never splits a line")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    inst = generate(args.seed, args.orders, args.nodes)
    if args.whole_lines:
        inst = replace(inst, strategy=inst.strategy.model_copy(update={"allow_line_split": False}))
    lines = sum(len(o.lines) for o in inst.orders)
    print(f"{len(inst.orders)} orders ({lines} lines) over {len(inst.nodes)} nodes, seed {args.seed}")
    per_order, sequential = engine_per_order(inst)
    forecast_seed = args.seed + 1 if args.forecast_seed is None else args.forecast_seed
    rows = [
        greedy(inst),
        per_order,
        engine_with_predictions(inst, sequential, args.seed),
        engine_with_bid_prices(inst, forecast_seed),
        *engine_batch(inst, sequential, args.time_limit, args.batch_limit),
    ]
    show(rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([asdict(r) for r in rows], f, indent=2)


def engine_per_order(
    inst: Instance, name: str = "engine, per order", decide=None
) -> tuple[Figures, list[Plan]]:
    """Orders one by one as they arrive, each routed on the stock and capacity the earlier ones left;
    `decide(job)` routes one order (`run_strategy` with the instance's strategy unless given)."""
    decide = decide or (lambda job: run_strategy(job, inst.strategy, inst.rates)[0])
    stock, remaining = [dict(n.stock) for n in inst.nodes], [n.remaining for n in inst.nodes]
    index = {n.id: i for i, n in enumerate(inst.nodes)}
    plans, decided, times, inexact = [], [], [], 0
    for order in inst.orders:
        job = RoutingInput(
            order.facts, order.lines, order.destination, candidates(inst, order, stock, remaining)
        )
        started = time.perf_counter()
        plan = decide(job)
        times.append((time.perf_counter() - started) * 1000)
        inexact += not plan.exact
        decided.append(plan)
        plans.append(_apply(_node_plan(plan, index), stock, remaining))
    return figures(name, inst, plans, times, f"{inexact} plans not proven optimal"), decided


def engine_with_predictions(inst: Instance, sequential: list[Plan], seed: int) -> Figures:
    """Per order as above, each shipment's carrier weighing predicted lateness (late_risk) with a
    reliability table learnt ahead from a synthetic history (bench_predictions). Its cost column is the
    instance objective at the cheapest carrier's price, as the other rows count it."""
    table = learnt_table(inst, sequential, seed)
    strategy = weighing_lateness(inst.strategy)
    row, _ = engine_per_order(
        inst,
        "engine, per order + predictions",
        lambda job: run_strategy(job, strategy, inst.rates, reliability=table)[0],
    )
    row.note += f"; late_risk {strategy.objective.late_risk:g}, table of {len(table.cells)} cells"
    return row


def engine_with_bid_prices(inst: Instance, forecast_seed: int) -> Figures:
    """Per order as above, with bid prices on stock and capacity: the duals of the joint problem solved
    on a forecast (the orders of another seed, on this instance's nodes), added to each order's score.
    The prices are computed ahead (as a nightly job would), not in the decision time."""
    forecast = with_orders(inst, generate(forecast_seed, len(inst.orders), len(inst.nodes)).orders)
    stock = {(n.id, s): q for n in inst.nodes for s, q in n.stock.items()}
    capacity = {n.id: n.remaining for n in inst.nodes}
    started = time.perf_counter()
    strategies = [inst.strategy] * len(forecast.orders)
    prices = bid_prices(_jobs(forecast), strategies, inst.rates, stock, capacity, UNIT_PENALTY)
    ahead = time.perf_counter() - started
    row, _ = engine_per_order(
        inst,
        "engine, per order + bid prices",
        lambda job: run_strategy(job, inst.strategy, inst.rates, prices=prices)[0],
    )
    row.note += f"; prices from seed {forecast_seed}'s orders, {ahead:.1f} s ahead"
    return row


def greedy(inst: Instance) -> Figures:
    """Each line from the first node by priority that holds all of it and has capacity, else backordered."""
    stock, remaining = [dict(n.stock) for n in inst.nodes], [n.remaining for n in inst.nodes]
    by_priority = sorted(range(len(inst.nodes)), key=lambda n: inst.nodes[n].priority)
    plans, times = [], []
    for order in inst.orders:
        started = time.perf_counter()
        plan: NodePlan = {}
        for line in order.lines:
            for n in by_priority:
                if stock[n].get(line.sku, 0) >= line.quantity and (n in plan or remaining[n] > 0):
                    plan.setdefault(n, {})[line.sku] = line.quantity
                    break
        times.append((time.perf_counter() - started) * 1000)
        plans.append(_apply(plan, stock, remaining))
    return figures("greedy by node priority", inst, plans, times)


def engine_batch(
    inst: Instance, sequential: list[Plan], time_limit: float, batch_limit: float
) -> list[Figures]:
    """The backlog routed jointly on the starting stock and capacity.

    - engine, batch: `batch.reoptimise` as a service calls it (column generation, then a MILP over the
      plans generated and the plans the orders got on arrival), within `batch_limit` seconds;
    - joint MILP over generated columns: column generation run to convergence, then the MILP over every
      plan generated (and the arrival plans) within `time_limit`: the best joint plan known;
    - LP bound (column generation): the master LP's value once no plan prices out, a lower bound of the
      joint optimum;
    - lower bound (orders apart): each order's best plan on the untouched stock and capacity."""
    index = {n.id: i for i, n in enumerate(inst.nodes)}
    jobs = _jobs(inst)
    strategies = [inst.strategy] * len(jobs)
    stock = {(n.id, s): q for n in inst.nodes for s, q in n.stock.items()}
    capacity = {n.id: n.remaining for n in inst.nodes}
    n = len(inst.orders)

    started = time.perf_counter()
    batch = reoptimise(jobs, strategies, inst.rates, stock, capacity, batch_limit, current=sequential)
    batch_s = time.perf_counter() - started
    batch_row = figures("engine, batch (column generation + MILP)", inst, [_node_plan(p, index) for p in batch.plans],
                        [1000 * batch_s / n], f"{batch_s:.1f} s, {batch.columns} plans, solver gap {_pct(batch.gap)}")  # fmt: skip

    started = time.perf_counter()
    generation = ColumnGeneration(jobs, strategies, inst.rates, stock, capacity, UNIT_PENALTY)
    for o, plan in enumerate(sequential):
        generation.add(o, plan)
    columns = generation.run()
    cg_s = time.perf_counter() - started
    started = time.perf_counter()
    joint = choose_plans(
        columns.columns, [o.lines for o in inst.orders], stock, capacity, time_limit=time_limit
    )
    joint_s = time.perf_counter() - started
    joint_row = figures("joint MILP over generated columns", inst, [_node_plan(p, index) for p in joint.plans],
                        [float("nan")], f"MILP {joint_s:.1f} s over {sum(map(len, columns.columns))} plans, "
                        f"solver gap {_pct(joint.gap)}")  # fmt: skip
    state = "converged" if columns.converged else "NOT converged: Lagrangian bound"
    proof = "proven" if columns.proven else "NOT proven: inexact pricing"
    lp_row = Figures("LP bound (column generation)", columns.bound, 0, float("nan"), float("nan"), float("nan"),
                     float("nan"), f"{state}, {proof}; {columns.rounds} rounds, {columns.priced} searches, "
                     f"{cg_s:.1f} s")  # fmt: skip

    apart = [run_strategy(job, inst.strategy, inst.rates)[0] for job in jobs]
    unshipped = sum(
        sum(line.quantity for line in o.lines) - p.units for o, p in zip(inst.orders, apart, strict=True)
    )
    exact = "proven" if all(p.exact for p in apart) else "NOT proven: inexact plans"
    lower = Figures("lower bound (orders apart)", sum(p.score for p in apart), unshipped,
                    sum(len(p.shipments) for p in apart) / n, float("nan"), float("nan"), float("nan"), exact)  # fmt: skip
    return [batch_row, joint_row, lp_row, lower]


def _jobs(inst: Instance) -> list[RoutingInput]:
    """Every order as routed on the starting stock and capacity."""
    stock = [dict(n.stock) for n in inst.nodes]
    remaining = [n.remaining for n in inst.nodes]
    return [
        RoutingInput(o.facts, o.lines, o.destination, candidates(inst, o, stock, remaining))
        for o in inst.orders
    ]


def _signature(plan: Plan) -> tuple:
    return tuple(sorted((s.node_id, s.lines) for s in plan.shipments))


def _node_plan(plan: Plan, index: dict[str, int]) -> NodePlan:
    result: NodePlan = {}
    for s in plan.shipments:
        units = result.setdefault(index[s.node_id], {})
        for _, sku, q in s.lines:
            units[sku] = units.get(sku, 0) + q
    return result


def _apply(plan: NodePlan, stock, remaining) -> NodePlan:
    for n, units in plan.items():
        remaining[n] -= 1
        for sku, q in units.items():
            stock[n][sku] -= q
    return plan


def _pct(x) -> str:
    return "n/a" if x is None else f"{100 * x:.3f}%"


def show(rows: list[Figures]) -> None:
    def value(r: Figures) -> float:
        return r.cost + UNIT_PENALTY * r.unshipped

    best = value(next(r for r in rows if r.name.startswith("LP bound")))
    head = f"{'method':42} {'cost':>10} {'vs LP bd':>9} {'unshipped':>9} {'parcels/order':>13} {'on time':>8} {'p50 ms':>7} {'p99 ms':>7}"
    print(head)
    for r in rows:
        gap = 100 * (value(r) - best) / best
        print(f"{r.name:42} {r.cost:10.2f} {gap:8.2f}% {r.unshipped:9d} {r.shipments_per_order:13.3f} "
              f"{100 * r.on_time:7.1f}% {r.p50_ms:7.2f} {r.p99_ms:7.2f}  {r.note}")  # fmt: skip
    print(
        f"cost: the strategy's objective summed over orders; 'vs LP bd' (against the column-generation "
        f"bound) adds {UNIT_PENALTY:g} per unit left "
        "unshipped, as the MILPs do"
    )


if __name__ == "__main__":
    main()
