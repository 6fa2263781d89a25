"""A plan under construction with its score kept up to date, so the search scores a branch by what it
adds instead of rescoring the whole plan: the same sums as `Scorer.score`, built one SKU at a time."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from oms.domain.routing.scoring import PlanUnits, Scorer


@dataclass(frozen=True, slots=True)
class Partial:
    plan: PlanUnits = field(default_factory=dict)
    weight: Mapping[int, float] = field(default_factory=dict)  # kg shipped from each route in the plan
    shipping: float = 0.0  # carrier cost, unweighted
    other: float = 0.0  # weighted per-shipment and per-unit terms, the split penalty on every shipment
    days: int = 0
    late: int = 0
    score: float = 0.0


def extended_score(scorer: Scorer, p: Partial, sku: str, option: Mapping[int, int]) -> float:
    """The score of `p` once `option` ({route: units}) ships `sku` as well."""
    shipping, other, days, late, used = _extended(scorer, p, sku, option)
    return _total(scorer, shipping, other, days, late, used)


def extend(scorer: Scorer, p: Partial, sku: str, option: Mapping[int, int]) -> Partial:
    shipping, other, days, late, _ = _extended(scorer, p, sku, option)
    plan = {r: dict(units) for r, units in p.plan.items()}
    weight = dict(p.weight)
    for r, qty in option.items():
        plan.setdefault(r, {})[sku] = qty
        weight[r] = weight.get(r, 0.0) + qty * scorer.weight[sku]
    score = _total(scorer, shipping, other, days, late, len(plan))
    return Partial(plan, weight, shipping, other, days, late, score)


def _extended(scorer: Scorer, p: Partial, sku: str, option: Mapping[int, int]):
    shipping, other, days, late, used = p.shipping, p.other, p.days, p.late, len(p.weight)
    for r, qty in option.items():
        before = p.weight.get(r)
        after = (before or 0.0) + qty * scorer.weight[sku]
        shipping += scorer.shipping(r, after)
        other += qty * scorer.unit[r][sku]
        if before is None:
            node = scorer.routes[r]
            other += scorer.fixed[r]
            days, late, used = max(days, node.node.transit_days), max(late, node.days_late), used + 1
        else:
            shipping -= scorer.shipping(r, before)
    return shipping, other, days, late, used


def _total(scorer: Scorer, shipping: float, other: float, days: int, late: int, used: int) -> float:
    w = scorer.w
    split = w.split if used else 0.0
    return w.shipping_cost * shipping + other - split + w.transit_days * days + w.sla_risk * late
