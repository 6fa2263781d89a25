"""What the routing advisor weighs and how it chooses, as plain functions on profile sets and replay
figures (JSON dicts of oms.services.routing_replay.ReplayFigures).

Candidates: the active profile set with each `late_risk` weight of the grid in every strategy, routing
with the newly learnt table; and, when the active set already routes with a table, itself re-pinned to
the new one. The choice: the best predicted on-time rate among the candidates whose billed cost (the quotes
times what each carrier bills per unit quoted, as learnt) is at most MAX_COST_INCREASE above the active
set's and that leave no more units unshipped; none unless it gains at least MIN_ON_TIME_GAIN."""

from oms.domain.routing.profiles import ProfileSet

GRID = (0.0, 5.0, 10.0, 20.0, 40.0)  # late_risk weights: currency per expected late shipment
MAX_COST_INCREASE = 0.02
MIN_ON_TIME_GAIN = 0.01
REPINNED = "current, new table"


def candidates(active: ProfileSet, reliability_version: int, grid=GRID) -> dict[str, ProfileSet]:
    """Candidate profile sets by name, each pinning `reliability_version`."""
    found = {f"late_risk {weight:g}": _weighed(active, weight, reliability_version) for weight in grid}
    if active.reliability_version is not None:
        found[REPINNED] = active.model_copy(update={"reliability_version": reliability_version})
    return found


def _weighed(active: ProfileSet, weight: float, reliability_version: int) -> ProfileSet:
    strategies = [s.model_copy(update={"objective": s.objective.model_copy(update={"late_risk": weight})})
                  for s in active.strategies]  # fmt: skip
    return active.model_copy(update={"strategies": strategies, "reliability_version": reliability_version})


def choose(figures: dict[str, dict], current: str, max_cost_increase: float = MAX_COST_INCREASE,
           min_gain: float = MIN_ON_TIME_GAIN) -> tuple[str | None, str]:  # fmt: skip
    """The chosen candidate's name (None: propose nothing) and why, in a sentence."""
    base = figures[current]
    budget = base["billed_cost"] * (1 + max_cost_increase)
    affordable = {name: f for name, f in figures.items() if name != current and f["billed_cost"] <= budget
                  and f["unshipped_units"] <= base["unshipped_units"]}  # fmt: skip
    if not affordable:
        return (
            None,
            f"no candidate's billed cost is at most {max_cost_increase:.0%} above the active profiles'",
        )
    name = max(affordable, key=lambda n: (affordable[n]["on_time_rate"], -affordable[n]["billed_cost"]))
    gain = affordable[name]["on_time_rate"] - base["on_time_rate"]
    if gain < min_gain:
        return None, (f"the best candidate within the cost budget ({name}) gains {gain * 100:.1f} points of"
                      f" predicted on-time rate, under the {min_gain * 100:g} point threshold")  # fmt: skip
    cost = affordable[name]["billed_cost"] / base["billed_cost"] - 1 if base["billed_cost"] else 0.0
    return name, f"{name} gains {gain * 100:.1f} points of predicted on-time rate at {cost:+.1%} billed cost"
