"""When a SKU at a node runs out: daily demand with a weekday profile, projected against ATP and inbound
supply, day by day.

Estimator: over the last `weeks` whole weeks the level is the mean units per day. A weekday's own factor
is 7 times its share of the units; it is blended with a base profile (the node's, itself blended with no
pattern) by the evidence: weight lines / (lines + PRIOR_LINES). Evidence is counted in order lines, not
units, because units come in lumps (one B2B line of 40 is one observation, not 40). A SKU with a few
dozen lines takes its node's weekday pattern; a fast mover with thousands keeps its own.
Forecast units on a day = level x its weekday's factor.

A position runs out on the first day its projected ATP is short by half a unit or more (so a slow mover
at zero stock, expected to sell its next unit in seven weeks, is not "out today").
"""

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import islice

from oms.domain.alerts import Severity

PRIOR_LINES = 100.0  # the base profile weighs as much as this many order lines of the SKU's own
FLAT = (1.0,) * 7
SHORT = -0.5  # projected ATP at or under this is a stockout: at least one unit (rounded) missing
SHORT_SCALE = 20.0  # units short at which a stockout's score reaches 63% of its urgency


@dataclass(frozen=True, slots=True)
class DemandProfile:
    level: float  # mean units per day
    weekday: tuple[float, ...]  # Monday first, averaging 1

    def on(self, day: date) -> float:
        return self.level * self.weekday[day.weekday()]

    @property
    def peak(self) -> float:
        """The busiest weekday's factor (1.0: no weekday pattern)."""
        return max(self.weekday)


def weekday_profile(units_by_weekday: Sequence[float], lines: int, weeks: int,
                    base: Sequence[float] = FLAT) -> DemandProfile:  # fmt: skip
    """Demand from the units sold on each weekday (Monday first) in `lines` order lines over `weeks` whole
    weeks, its weekday pattern blended with `base` by the evidence."""
    total = sum(units_by_weekday)
    if total <= 0:
        return DemandProfile(0.0, tuple(base))
    weight = lines / (lines + PRIOR_LINES)
    own = [7 * units / total for units in units_by_weekday]
    return DemandProfile(total / (7 * weeks), tuple(weight * o + (1 - weight) * b for o, b in zip(own, base)))


@dataclass(frozen=True, slots=True)
class Outlook:
    stockout: date | None  # the first day projected ATP is short (see SHORT), None within the horizon
    replenishment: date  # when more stock can come: the next inbound after the stockout, or the lead time
    inbound_before: int  # units arriving before the stockout (or within the horizon)
    units_short: float = 0.0  # forecast demand left unserved until replenishment (at risk only)

    @property
    def at_risk(self) -> bool:
        return self.stockout is not None and self.stockout < self.replenishment


def outlook(atp: int, inbound: Sequence[tuple[date, int]], demand: DemandProfile, today: date,
            horizon_days: int, lead_time_days: int) -> Outlook:  # fmt: skip
    """Project ATP from today: each day adds what arrives (overdue supply counts today) and takes the day's
    forecast demand. No demand, no stockout: a position that does not sell does not run out."""
    arrivals = sorted((max(day, today), units) for day, units in inbound)
    days = islice(_balances(atp, arrivals, demand, today), horizon_days if demand.level > 0 else 0)
    stockout = next((day for day, balance in days if balance <= SHORT), None)
    until = stockout or today + timedelta(days=horizon_days)
    later = [day for day, _ in arrivals if day > until]
    replenishment = later[0] if later and stockout else today + timedelta(days=lead_time_days)
    found = Outlook(stockout, replenishment, sum(units for day, units in arrivals if day <= until))
    if not found.at_risk:
        return found
    *_, (_, balance) = islice(_balances(atp, arrivals, demand, today), (replenishment - today).days)
    return replace(found, units_short=max(0.0, -balance))


def _balances(atp: int, arrivals: list[tuple[date, int]], demand: DemandProfile,
              today: date) -> Iterator[tuple[date, float]]:  # fmt: skip
    """Projected ATP at the end of each day from today on."""
    balance, pending, day = float(atp), list(arrivals), today
    while True:
        while pending and pending[0][0] <= day:
            balance += pending.pop(0)[1]
        balance -= demand.on(day)
        yield day, balance
        day += timedelta(days=1)


def severity(days_left: int) -> Severity:
    """Two days or less is critical: too late for most replenishment; within a week a warning."""
    if days_left <= 2:
        return Severity.CRITICAL
    return Severity.WARNING if days_left <= 7 else Severity.INFO


def risk_score(days_left: int, units_short: float, horizon_days: int) -> float:
    """0..1, sooner and more units short is higher: the urgency (1 for a stockout today, 0 at the horizon)
    times 1 - e^(-short / SHORT_SCALE), so one unit short weighs 0.05, ten 0.39, forty 0.86."""
    urgency = max(0.0, min(1.0, 1 - days_left / horizon_days))
    return urgency * (1 - math.exp(-units_short / SHORT_SCALE))
