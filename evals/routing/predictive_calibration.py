"""Setting the hidden world's lateness from a target: the scale of every hidden delay rate at which the
rules' own history delivers the target share of orders on time (expected over the hidden mechanism, so
exact). Only the history's plans take part: the rules never see the hidden world, so their plans are the
same at any scale and routing them once is enough.

Why a target: the drawn world's rules deliver 90-92% of orders on time, the demo retailer's history (whose
delays come from its own hidden mechanism) 87.1%. Matching it asks how predictive routing does on a
network as late as the one the system ships with, not on one chosen for its result."""

from dataclasses import replace

from evals.routing.instances import Instance
from evals.routing.predictive_evaluate import expected_orders_on_time
from evals.routing.predictive_history import Routed
from evals.routing.predictive_world import Hidden

DEMO_ON_TIME = 0.871  # `oms seed demo`: 57,817 delivered orders, every shipment by its promised date
LOW, HIGH, STEPS = 0.1, 5.0, 30


def calibrated(world: Instance, hidden: Hidden, history: list[Routed], target: float) -> Hidden:
    """`hidden` with the lateness at which `history` is `target` on time (bisection: on time falls as
    lateness grows); refused when no scale in [LOW, HIGH] reaches it."""

    def on_time(lateness: float) -> float:
        return history_on_time(world, replace(hidden, lateness=lateness), history)

    low, high = LOW, HIGH
    if not on_time(high) <= target <= on_time(low):
        raise ValueError(f"no lateness in [{LOW}, {HIGH}] makes the history {target:.1%} on time")
    for _ in range(STEPS):
        middle = (low + high) / 2
        low, high = (middle, high) if on_time(middle) > target else (low, middle)
    return replace(hidden, lateness=round((low + high) / 2, 4))


def history_on_time(world: Instance, hidden: Hidden, history: list[Routed]) -> float:
    """The share of `history`'s orders `hidden` delivers on time, in expectation."""
    orders = sum(len(r.orders) for r in history)
    return sum(expected_orders_on_time(world, hidden, r) for r in history) / orders
