"""When customers order: daily volume by channel and weekday, retail peaks, and hour-of-day profiles.

Peaks follow the French and German retail calendar: winter sales (second Wednesday of January), summer
sales (last Wednesday of June, four weeks), back to school (late August), Black Friday week with Cyber
Monday, and the Christmas run. The same calendar congests the carriers (`carrier_congestion`).
"""

import math
from datetime import date, timedelta
from functools import lru_cache

# Normal weekday orders per channel before the multipliers; about 60,000 orders a year in all.
BASE_PER_DAY = {"web": 92.0, "marketplace": 36.0, "store": 18.0, "b2b": 6.0, "call_center": 11.0}

WEEKDAY = {  # Monday .. Sunday
    "web": (1.15, 1.0, 1.0, 0.95, 0.9, 0.85, 1.2),
    "marketplace": (1.05, 1.0, 1.0, 1.0, 0.95, 0.95, 1.05),
    "store": (0.8, 0.8, 0.9, 0.9, 1.1, 1.9, 0.15),
    "b2b": (1.2, 1.1, 1.1, 1.0, 0.9, 0.05, 0.0),
    "call_center": (1.2, 1.1, 1.0, 1.0, 0.9, 0.6, 0.0),
}

_ONLINE_HOURS = (0.3, 0.15, 0.1, 0.08, 0.08, 0.15, 0.4, 0.8, 1.1, 1.2, 1.3, 1.5, 1.8, 1.7, 1.3, 1.2, 1.2, 1.3,
                 1.6, 2.0, 2.2, 2.0, 1.4, 0.7)
HOURS = {  # weight of each local hour 0..23
    "web": _ONLINE_HOURS,
    "marketplace": _ONLINE_HOURS,
    "store": (0,) * 10 + (1.0, 1.3, 1.4, 1.3, 1.4, 1.6, 1.8, 1.8, 1.5, 0.9) + (0,) * 4,
    "b2b": (0,) * 8 + (1.2, 1.6, 1.6, 1.3, 0.6, 1.0, 1.4, 1.3, 1.0, 0.4) + (0,) * 6,
    "call_center": (0,) * 9 + (1.3, 1.5, 1.4, 0.9, 0.8, 1.2, 1.3, 1.2, 1.0) + (0,) * 6,
}

# Black Friday week, by days from Black Friday: the Monday before to Cyber Monday.
_BLACK_WEEK = {-4: 1.7, -3: 1.8, -2: 1.9, -1: 2.0, 0: 3.2, 1: 2.2, 2: 1.9, 3: 2.6}


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def black_friday(year: int) -> date:
    return _nth_weekday(year, 11, 3, 4) + timedelta(days=1)


def _sales_start(d: date) -> date | None:
    """Start of the sales season `d` falls in, if any (each lasts four weeks)."""
    winter = _nth_weekday(d.year, 1, 2, 2)
    june_end = date(d.year, 6, 30)
    summer = june_end - timedelta(days=(june_end.weekday() - 2) % 7)
    return next((s for s in (winter, summer) if 0 <= (d - s).days < 28), None)


@lru_cache(maxsize=4096)
def demand_factor(d: date, today: date) -> float:
    """How much busier `d` is than a normal day of its weekday, with 12% yearly growth up to `today`."""
    factor = 1.0 + 0.12 * (d - today).days / 365
    from_bf = (d - black_friday(d.year)).days
    factor *= _BLACK_WEEK.get(from_bf, 1.3 if -11 <= from_bf <= -5 else 1.0)
    if d.month == 12:
        factor *= 1.5 if 4 <= d.day <= 20 else {24: 0.7, 25: 0.3}.get(d.day, 1.15 if d.day < 24 else 0.9)
    sales = _sales_start(d)
    if sales:
        factor *= 1 + 0.9 * math.exp(-(d - sales).days / 6)
    if date(d.year, 8, 20) <= d <= date(d.year, 9, 8):
        factor *= 1.25
    return factor


@lru_cache(maxsize=4096)
def carrier_congestion(d: date) -> float:
    """Extra chance that a parcel handed over on `d` sits a day longer in the carrier's network."""
    from_bf = (d - black_friday(d.year)).days
    if -4 <= from_bf <= 7:
        return 0.20
    if d.month == 12 and d.day <= 23:
        return 0.14
    sales = _sales_start(d)
    return 0.05 if sales and (d - sales).days < 10 else 0.0


def is_peak(d: date) -> bool:
    return carrier_congestion(d) > 0
