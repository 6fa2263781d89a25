"""Working-day calendars: a country's public holidays plus the weekdays a node or carrier works.

Every date lookup is a dict hit: the simulation asks hundreds of thousands of "next working day" questions.
"""

from datetime import date, timedelta
from functools import lru_cache

from oms.domain.calendar import public_holidays

MON_FRI = frozenset(range(5))
MON_SAT = frozenset(range(6))


class Workdays:
    def __init__(self, country: str, weekdays: frozenset[int], start: date, end: date):
        closed = set().union(*(public_holidays(country, year) for year in range(start.year, end.year + 1)))
        span = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        self.days = [d for d in span if d.weekday() in weekdays and d not in closed]
        # For every calendar date, the index of the first working day on or after it.
        self._next: dict[date, int] = {}
        i = 0
        for d in span:
            while i < len(self.days) and self.days[i] < d:
                i += 1
            self._next[d] = i

    def is_open(self, d: date) -> bool:
        i = self._next[d]
        return i < len(self.days) and self.days[i] == d

    def on_or_after(self, d: date, plus: int = 0) -> date:
        """The first working day on or after `d`, then `plus` working days later."""
        return self.days[self._next[d] + plus]

    def after(self, d: date, plus: int) -> date:
        """`plus` working days after `d` (not counting `d` itself); `d` itself when `plus` is 0."""
        return self.on_or_after(d + timedelta(days=1), plus - 1) if plus > 0 else d


@lru_cache(maxsize=64)
def workdays(country: str, weekdays: frozenset[int], start: date, end: date) -> Workdays:
    return Workdays(country, weekdays, start, end)


class Calendars:
    """Working-day calendars over the simulated span, plus a margin for parcels still on their way.
    Nodes: stores work Monday to Saturday, warehouses Monday to Friday. Carriers: some deliver on
    Saturdays. Both skip the public holidays of their country."""

    def __init__(self, start: date, end: date):
        self.start, self.end = start - timedelta(days=14), end + timedelta(days=120)

    def of(self, country: str, saturdays: bool) -> Workdays:
        return workdays(country, MON_SAT if saturdays else MON_FRI, self.start, self.end)
