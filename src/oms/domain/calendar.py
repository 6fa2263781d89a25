"""Working-day arithmetic for promise dates.

Two calendars per country: nodes pick and pack on working days (Monday to Friday, not a public holiday
of the node's country); carriers deliver on delivery days (Monday to Saturday, not a public holiday of
the destination country). An order placed after a node's cut-off, in the node's own timezone, or on a
day the node does not work, starts processing on its next working day.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ONE_DAY = timedelta(days=1)
SATURDAY, SUNDAY = 5, 6


@lru_cache(maxsize=1024)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """National public holidays (no regional ones: a promise is made per country, not per region).
    Cached: every promise asks this for every day it counts."""
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:  # a country the package does not know: weekends only
        return frozenset()


def is_working_day(day: date, country: str) -> bool:
    return day.weekday() < SATURDAY and day not in public_holidays(country, day.year)


def is_delivery_day(day: date, country: str) -> bool:
    return day.weekday() < SUNDAY and day not in public_holidays(country, day.year)


def _days_after(day: date, n: int, is_open: Callable[[date], bool]) -> date:
    """The n-th open day after `day`; for n = 0, `day` itself when open, else the next open day."""
    if n == 0:
        return day if is_open(day) else _days_after(day, 1, is_open)
    while n > 0:
        day += ONE_DAY
        if is_open(day):
            n -= 1
    return day


# Cached: promises count the same few days from today for every node and destination, all day long.
@lru_cache(maxsize=65536)
def add_working_days(day: date, n: int, country: str) -> date:
    return _days_after(day, n, lambda d: is_working_day(d, country))


@lru_cache(maxsize=65536)
def add_delivery_days(day: date, n: int, country: str) -> date:
    return _days_after(day, n, lambda d: is_delivery_day(d, country))


# Cached: a promise asks this for every node, per service level, at the same instant.
@lru_cache(maxsize=4096)
def processing_start(at: datetime, timezone: str, cutoff: time, country: str) -> date:
    """The working day on which a node starts processing an order placed at `at`."""
    local = at.astimezone(ZoneInfo(timezone))
    today = local.date()
    if is_working_day(today, country) and local.time() < cutoff:
        return today
    return add_working_days(today, 1, country)


@lru_cache(maxsize=4096)
def local_date(at: datetime, timezone: str) -> date:
    return at.astimezone(ZoneInfo(timezone)).date()
