"""Plans as the search builds them: route index -> {SKU: units}, how one is extended, how two compare."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from oms.domain.routing.scoring import PlanUnits

EPSILON = 1e-9  # scores are sums of floats: a smaller difference is a tie, not an improvement


@dataclass(frozen=True, slots=True)
class Found:
    plan: PlanUnits
    units: int
    score: float
    exact: bool

    def beats(self, other: "Found | None") -> bool:
        return beats(self.units, self.score, other)


def beats(units: int, score: float, other: Found | None) -> bool:
    """Whether a plan shipping `units` at `score` beats `other`: more units shipped wins, then the lower
    score."""
    if other is None or units != other.units:
        return other is None or units > other.units
    return score < other.score - EPSILON


def with_units(plan: PlanUnits, sku: str, option: dict[int, int]) -> dict[int, dict[str, int]]:
    """A copy of `plan` where each route of `option` also ships its units of `sku`."""
    child = {r: dict(units) for r, units in plan.items()}
    for r, qty in option.items():
        child.setdefault(r, {})[sku] = qty
    return child


def without_sku(plan: PlanUnits, sku: str) -> dict[int, dict[str, int]]:
    """A copy of `plan` that ships none of `sku`; routes left with nothing drop out."""
    child = {r: {s: q for s, q in units.items() if s != sku} for r, units in plan.items()}
    return {r: units for r, units in child.items() if units}


def compositions(total: int, bounds: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Every way to ship `total` units from nodes holding `bounds` units, at least one from each."""
    if len(bounds) == 1:
        if 1 <= total <= bounds[0]:
            yield (total,)
        return
    rest = sum(bounds[1:])
    for first in range(max(1, total - rest), min(bounds[0], total - len(bounds) + 1) + 1):
        for tail in compositions(total - first, bounds[1:]):
            yield (first, *tail)
