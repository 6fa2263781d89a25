"""Predictive routing against rules alone on a network with hidden reliability:
`python -m evals.routing.predictive` (see README.md in this folder).

History: days of orders routed by rules, outcomes drawn from the hidden mechanism (predictive_world, its
lateness scaled so the history is as late as the demo retailer's: predictive_calibration), a reliability
table learnt from them; the late_risk weight chosen on the history (predictive_sweep).
Test: days of orders of other seeds on the same network, routed by rules and by rules + late_risk with
the table pinned; the acceptance asks +5.0 points on time or more for at most 2.0% more shipping cost."""

import argparse
import time

import numpy as np

from evals.routing.instances import generate
from evals.routing.predictive_calibration import DEMO_ON_TIME, calibrated
from evals.routing.predictive_ceiling import truth_table
from evals.routing.predictive_evaluate import Figures, figures, parcels_of, ranking_auc, uniforms
from evals.routing.predictive_history import history, predictive, route_test_days, rules, rules_days
from evals.routing.predictive_sweep import chosen, sweep
from evals.routing.predictive_world import hidden_world
from oms.domain.routing.reliability_learning import learn_reliability

ON_TIME_GAIN, COST_LIMIT = 0.05, 0.02


def main() -> None:
    args = _arguments()
    started = time.perf_counter()
    world = generate(args.seed, args.per_day, args.nodes)
    routed_days = rules_days(world, args.seed, args.days)
    hidden = hidden_world(world, args.seed)
    if not args.drawn:
        hidden = calibrated(world, hidden, routed_days, args.history_on_time)
    days = history(world, hidden, args.seed, routed_days)
    facts = [f for d in days for f in d.facts]
    on_time = sum(f.on_time for f in facts) / len(facts)
    print(f"seed {args.seed}: {len(world.nodes)} nodes, {args.per_day} orders a day; hidden lateness "
          f"x{hidden.lateness:g}; history {args.days} days, {len(facts)} parcels, {on_time:.1%} on time")  # fmt: skip
    points = sweep(world, days, args.validation_days, args.weights)
    weight = chosen(points).weight
    _show_sweep(points, weight, args.validation_days)
    table = learn_reliability(facts)
    plain = route_test_days(world, args.seed, args.test_days, rules(world.strategy))
    learnt = route_test_days(world, args.seed, args.test_days, predictive(world.strategy, weight), table)
    u = uniforms(args.seed, args.draws, len(plain.orders))
    a = figures("rules alone", world, hidden, plain, u)
    b = figures(f"rules + late_risk {weight:g}", world, hidden, learnt, u)
    _show_test(args.test_days, len(plain.orders), a, b)
    _show_auc(world, hidden, table, {"rules": plain, "predictive": learnt}, args)
    perfect = route_test_days(world, args.seed, args.test_days, predictive(world.strategy, weight),
                              truth_table(world, hidden))  # fmt: skip
    c = figures("ceiling: hidden truth as table", world, hidden, perfect, u)
    print(f"{c.name} (not a method): on time {100 * (c.on_time - a.on_time):+.1f} points, "
          f"cost {c.cost / a.cost - 1:+.2%}")  # fmt: skip
    print(f"run: {time.perf_counter() - started:.0f} s")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7, help="the network and its hidden reliability")
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--per-day", type=int, default=300, help="orders a day (stock is sized for them)")
    parser.add_argument("--days", type=int, default=60, help="days of history")
    parser.add_argument("--history-on-time", type=float, default=DEMO_ON_TIME,
                        help="orders on time in the rules' history the hidden lateness is scaled to")  # fmt: skip
    parser.add_argument("--drawn", action="store_true", help="keep the hidden world as drawn (lateness x1)")
    parser.add_argument("--test-days", type=int, default=5, help="days of test orders (other seeds)")
    parser.add_argument("--validation-days", type=int, default=12, help="last history days the sweep replays")
    parser.add_argument("--draws", type=int, default=20, help="outcome draws of the test")
    parser.add_argument("--weights", type=_weights, default=[5, 10, 20, 40, 80],
                        help="late_risk weights the sweep tries (comma-separated)")  # fmt: skip
    return parser.parse_args()


def _weights(text: str) -> list[float]:
    return [float(w) for w in text.split(",")]


def _show_sweep(points, weight: float, validation: int) -> None:
    print(f"sweep on the last {validation} history days (on time estimated by their own outcomes' table):")
    for p in points:
        mark = "  <- chosen" if p.weight == weight else ""
        print(f"  late_risk {p.weight:6g}: on time {p.on_time:6.1%}, cost {p.cost_delta:+6.2%}{mark}")


def _show_test(days: int, orders: int, a: Figures, b: Figures) -> None:
    print(f"test: {days} days, {orders} orders of other seeds")
    print(f"{'method':28} {'on time':>8} {'draws mean':>10} {'sd':>5} {'min-max':>13} {'parcels':>8} "
          f"{'cost':>10} {'parcels/order':>13} {'unshipped':>9}")  # fmt: skip
    for f in (a, b):
        d = np.array(f.draws)
        print(f"{f.name:28} {f.on_time:8.1%} {d.mean():10.1%} {d.std():5.1%} {d.min():6.1%}-{d.max():6.1%} "
              f"{f.parcel_on_time:8.1%} {f.cost:10.2f} {f.parcels_per_order:13.3f} "
              f"{f.unshipped:9d}")  # fmt: skip
    gain, extra = b.on_time - a.on_time, b.cost / a.cost - 1
    paired = np.array(b.draws) - np.array(a.draws)
    print(f"on time {100 * gain:+.1f} points expected (draws: {100 * paired.mean():+.1f}, "
          f"{100 * paired.min():+.1f} to {100 * paired.max():+.1f}), cost {extra:+.2%}")  # fmt: skip
    verdict = "PASS" if gain >= ON_TIME_GAIN and extra <= COST_LIMIT else "FAIL"
    print(f"acceptance (>= +5.0 points on time, <= +2.0% cost): {verdict}")


def _show_auc(world, hidden, table, routings: dict, args) -> None:
    for name, routed in routings.items():
        pairs = zip(routed.orders, parcels_of(world, hidden, routed), strict=True)
        parcels = [(p, order) for order, ps in pairs if ps for p in ps]
        outcomes = np.random.default_rng(args.seed + 1).random((args.draws, len(parcels), 2))
        auc, truth = ranking_auc(table, parcels, outcomes)
        print(f"ROC-AUC of the table's on-time odds, {name} parcels: {auc:.3f} (the truth's: {truth:.3f})")


if __name__ == "__main__":
    main()
