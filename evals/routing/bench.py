"""Routing benchmark: `python -m evals.routing.bench` (see README.md in this folder)."""

import argparse
import json
import time
from dataclasses import asdict, replace

from evals.routing.evaluate import Figures, NodePlan, figures
from evals.routing.instances import Instance, candidates, generate
from oms.domain.routing.batch import UNIT_PENALTY, choose_plans, plan_pool
from oms.domain.routing.model import Plan
from oms.domain.routing.select import RoutingInput, run_strategy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--orders", type=int, default=1200)
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds for each MILP")
    parser.add_argument("--whole-lines", action="store_true", help="a strategy that never splits a line")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    inst = generate(args.seed, args.orders, args.nodes)
    if args.whole_lines:
        inst = replace(inst, strategy=inst.strategy.model_copy(update={"allow_line_split": False}))
    lines = sum(len(o.lines) for o in inst.orders)
    print(f"{len(inst.orders)} orders ({lines} lines) over {len(inst.nodes)} nodes, seed {args.seed}")
    per_order, sequential = engine_per_order(inst)
    rows = [greedy(inst), per_order, *engine_batch(inst, sequential, args.time_limit)]
    show(rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump([asdict(r) for r in rows], f, indent=2)


def engine_per_order(inst: Instance) -> tuple[Figures, list[Plan]]:
    """Orders one by one as they arrive, each routed on the stock and capacity the earlier ones left."""
    stock, remaining = [dict(n.stock) for n in inst.nodes], [n.remaining for n in inst.nodes]
    index = {n.id: i for i, n in enumerate(inst.nodes)}
    plans, decided, times, inexact = [], [], [], 0
    for order in inst.orders:
        job = RoutingInput(
            order.facts, order.lines, order.destination, candidates(inst, order, stock, remaining)
        )
        started = time.perf_counter()
        plan, _ = run_strategy(job, inst.strategy, inst.rates)
        times.append((time.perf_counter() - started) * 1000)
        inexact += not plan.exact
        decided.append(plan)
        plans.append(_apply(_node_plan(plan, index), stock, remaining))
    return figures("engine, per order", inst, plans, times, f"{inexact} plans not proven optimal"), decided


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


def engine_batch(inst: Instance, sequential: list[Plan], time_limit: float) -> list[Figures]:
    """The backlog routed jointly: pools of candidate plans per order (with the plan each order got when
    routed on arrival, so re-optimising never loses), then the MILP choosing among them.
    The best plan of each order on the untouched stock and capacity is also a lower bound of the joint
    optimum (dropping the constraints between orders only helps), reported as the last row."""
    stock = [dict(n.stock) for n in inst.nodes]
    remaining = [n.remaining for n in inst.nodes]
    index = {n.id: i for i, n in enumerate(inst.nodes)}
    pools, times, wide = [], [], []
    for order, current in zip(inst.orders, sequential, strict=True):
        job = RoutingInput(
            order.facts, order.lines, order.destination, candidates(inst, order, stock, remaining)
        )
        started = time.perf_counter()
        pool = plan_pool(job, inst.strategy, inst.rates)  # its first plan: the best on untouched stock
        pools.append([*pool, current] if _signature(current) not in map(_signature, pool) else pool)
        times.append((time.perf_counter() - started) * 1000)
        wide.append(_wider_pool(job, inst, pools[-1]))
    node_stock = {(n.id, s): q for n in inst.nodes for s, q in n.stock.items()}
    capacity = {n.id: n.remaining for n in inst.nodes}
    all_lines = [o.lines for o in inst.orders]
    started = time.perf_counter()
    outcome = choose_plans(pools, all_lines, node_stock, capacity, time_limit=time_limit)
    solve_ms = (time.perf_counter() - started) * 1000
    share = solve_ms / len(inst.orders)
    batch = figures("engine, batch (MILP over pools)", inst, [_node_plan(p, index) for p in outcome.plans],
                    [t + share for t in times], f"MILP {solve_ms / 1000:.1f} s, solver gap {_pct(outcome.gap)}")  # fmt: skip
    started = time.perf_counter()
    joint = choose_plans(wide, all_lines, node_stock, capacity, time_limit=time_limit)
    joint_s = time.perf_counter() - started
    joint_row = figures("joint MILP, wider pools", inst, [_node_plan(p, index) for p in joint.plans],
                        [float("nan")], f"MILP {joint_s:.1f} s, solver gap {_pct(joint.gap)}")  # fmt: skip
    bound = sum(p[0].score for p in pools)
    unshipped = sum(
        sum(line.quantity for line in o.lines) - p[0].units for o, p in zip(inst.orders, pools, strict=True)
    )
    exact = all(p[0].exact for p in pools)
    n = len(inst.orders)
    lower = Figures("lower bound (orders apart)", bound, unshipped, sum(len(p[0].shipments) for p in pools) / n,
                    float("nan"), float("nan"), float("nan"), "proven" if exact else "NOT proven: inexact plans")  # fmt: skip
    return [batch, joint_row, lower]


def _wider_pool(job: RoutingInput, inst: Instance, pool: list[Plan]) -> list[Plan]:
    """The pool, plus the best plans without each pair of nodes the best plan uses and more single-node
    plans: more room for the joint MILP to move orders around."""
    wider = list(pool) + plan_pool(job, inst.strategy, inst.rates, singles=25)[:-1]
    used = [s.node_id for s in pool[0].shipments]
    for i, a in enumerate(used):
        for b in used[i + 1 :]:
            others = [c for c in job.candidates if c.id not in (a, b)]
            wider.append(run_strategy(replace(job, candidates=others), inst.strategy, inst.rates)[0])
    unique = {_signature(p): p for p in wider}
    return sorted(unique.values(), key=lambda p: (-p.units, p.score))


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

    best = value(rows[-1])
    head = f"{'method':34} {'cost':>10} {'vs bound':>9} {'unshipped':>9} {'parcels/order':>13} {'on time':>8} {'p50 ms':>7} {'p99 ms':>7}"
    print(head)
    for r in rows:
        gap = 100 * (value(r) - best) / best
        print(f"{r.name:34} {r.cost:10.2f} {gap:8.2f}% {r.unshipped:9d} {r.shipments_per_order:13.3f} "
              f"{100 * r.on_time:7.1f}% {r.p50_ms:7.2f} {r.p99_ms:7.2f}  {r.note}")  # fmt: skip
    print(
        f"cost: the strategy's objective summed over orders; 'vs bound' adds {UNIT_PENALTY:g} per unit left "
        "unshipped, as the MILPs do"
    )


if __name__ == "__main__":
    main()
