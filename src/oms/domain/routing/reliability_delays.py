"""On time given the plan: how many business days parcels arrive after their planned delivery, as a
cumulative distribution, so routing can ask P(on time) of a plan with the slack it leaves before the
promise. A node planned to deliver the day of the promise needs its parcels never to slip; one planned
two days early survives most slips. An unconditional on-time rate cannot tell the two apart: learnt
from plans that left the usual slack, it flatters a plan that leaves none.

A distribution is P(delay <= d) for d in DELAYS: delays below the range count as its first day, above as
its last (then every parcel is on time). Thin groups lean on their parents as transit does: mixed with
`pseudo` pseudo-parcels of the parent's distribution."""

from collections import Counter

from oms.domain.routing.reliability import DELAYS, odds_scaled

Cdf = tuple[float, ...]


def clipped(delay: int) -> int:
    return min(max(delay, DELAYS.start), DELAYS.stop - 1)


def cdf_toward(delays: Counter[int], parent: Cdf, pseudo: float) -> Cdf:
    """The counted delays' distribution shrunk toward `parent` (none: the counts' own)."""
    n = sum(delays.values())
    if not n and not parent:
        return ()
    cumulative, out = 0, []
    for i, d in enumerate(DELAYS):
        cumulative += delays[d]
        prior = parent[i] if parent else 0.0
        weight = pseudo if parent else 0.0
        out.append(round((cumulative + weight * prior) / (n + weight), 5))
    return tuple(out)


def with_odds_ratio(cdf: Cdf, ratio: float) -> Cdf:
    """`cdf` with a node's on-time odds ratio applied at every day: still non-decreasing."""
    return tuple(round(odds_scaled(p, ratio), 5) for p in cdf)
