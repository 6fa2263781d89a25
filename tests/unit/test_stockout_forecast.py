"""The stockout forecast: weekday seasonality, projection against ATP and inbound supply."""

from datetime import date, timedelta

import pytest

from oms.domain.alerts import Severity
from oms.domain.stockout import DemandProfile, outlook, risk_score, severity, weekday_profile

MONDAY = date(2026, 3, 9)
FLAT = DemandProfile(10.0, (1.0,) * 7)


def test_the_level_is_the_mean_units_per_day_and_the_factors_average_one():
    profile = weekday_profile([10, 10, 10, 10, 10, 40, 0], lines=50, weeks=1)
    assert profile.level == pytest.approx(90 / 7)
    assert sum(profile.weekday) / 7 == pytest.approx(1.0)


def test_a_weekday_pattern_seen_in_many_lines_is_kept():
    profile = weekday_profile([8 * 5] * 5 + [8 * 30, 0], lines=5000, weeks=8)
    assert profile.weekday[5] == profile.peak > 3
    assert profile.weekday[6] < 0.1


def test_a_lump_in_a_few_lines_takes_the_base_pattern():
    node = (1.2, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9)
    profile = weekday_profile([0, 0, 0, 0, 0, 40, 0], lines=2, weeks=8, base=node)  # one B2B line of 40
    assert profile.peak < 1.4
    assert profile.weekday[0] > profile.weekday[1]


def test_demand_on_a_day_follows_its_weekday():
    profile = weekday_profile([0, 0, 0, 0, 0, 70, 0], lines=500, weeks=1)
    assert profile.on(MONDAY + timedelta(days=5)) > profile.on(MONDAY)


def test_the_stockout_is_the_first_day_projected_atp_goes_below_zero():
    result = outlook(25, [], FLAT, MONDAY, horizon_days=28, lead_time_days=7)
    assert result.stockout == MONDAY + timedelta(days=2)  # 25 - 10 - 10 - 10 < 0 on the third day
    assert result.at_risk  # before the lead time of seven days


def test_a_weekend_peak_brings_the_stockout_forward():
    peaky = weekday_profile([8 * u for u in (5, 5, 5, 5, 5, 35, 10)], lines=10_000, weeks=8)  # 10 a day
    flat = weekday_profile([8 * 10] * 7, lines=10_000, weeks=8)
    thursday = MONDAY + timedelta(days=3)
    assert outlook(35, [], peaky, thursday, 28, 7).stockout == thursday + timedelta(days=2)  # Saturday
    assert outlook(35, [], flat, thursday, 28, 7).stockout == thursday + timedelta(days=3)


def test_inbound_supply_pushes_the_stockout_out():
    without = outlook(25, [], FLAT, MONDAY, 28, 7)
    with_inbound = outlook(25, [(MONDAY + timedelta(days=2), 50)], FLAT, MONDAY, 28, 7)
    assert with_inbound.stockout == MONDAY + timedelta(days=7)
    assert with_inbound.stockout > without.stockout
    assert with_inbound.inbound_before == 50


def test_overdue_supply_counts_today():
    result = outlook(5, [(MONDAY - timedelta(days=3), 100)], FLAT, MONDAY, 28, 7)
    assert result.stockout == MONDAY + timedelta(days=10)


def test_no_demand_no_stockout():
    idle = weekday_profile([0] * 7, lines=0, weeks=8)
    result = outlook(-3, [], idle, MONDAY, 28, 7)
    assert result.stockout is None and not result.at_risk


def test_the_next_inbound_after_the_stockout_is_the_replenishment():
    later = MONDAY + timedelta(days=20)
    result = outlook(25, [(later, 500)], FLAT, MONDAY, 28, 7)
    assert result.replenishment == later and result.at_risk


def test_a_stockout_after_the_lead_time_is_not_at_risk():
    result = outlook(150, [], FLAT, MONDAY, 28, 7)
    assert result.stockout == MONDAY + timedelta(days=15)
    assert result.replenishment == MONDAY + timedelta(days=7)
    assert not result.at_risk


def test_no_stockout_within_the_horizon():
    assert outlook(1000, [], FLAT, MONDAY, 28, 7).stockout is None


@pytest.mark.parametrize(("days", "expected"), [(0, Severity.CRITICAL), (2, Severity.CRITICAL),
                                                 (5, Severity.WARNING), (10, Severity.INFO)])  # fmt: skip
def test_severity_by_days_left(days, expected):
    assert severity(days) == expected


def test_the_demand_left_unserved_until_replenishment_is_counted():
    result = outlook(25, [], FLAT, MONDAY, 28, 7)
    assert result.units_short == pytest.approx(45.0)  # 25 to promise against 70 wanted in the seven days
    assert outlook(150, [], FLAT, MONDAY, 28, 7).units_short == 0.0  # not at risk


def test_sooner_and_more_units_short_score_higher():
    assert risk_score(1, 10, 28) > risk_score(5, 10, 28) > risk_score(28, 10, 28) == 0.0
    assert risk_score(0, 20, 28) > risk_score(0, 1, 28) > 0
    assert 0 < risk_score(0, 1000, 28) <= 1.0


@pytest.mark.parametrize("atp", [0, 7, 25, 60, 140])
def test_more_demand_never_pushes_the_stockout_later(atp):
    stockouts = [
        outlook(atp, [], DemandProfile(level, FLAT.weekday), MONDAY, 28, 7).stockout for level in (2, 5, 9)
    ]
    horizon_end = MONDAY + timedelta(days=28)
    days = [s or horizon_end for s in stockouts]
    assert days == sorted(days, reverse=True)


@pytest.mark.parametrize("level", [0.3, 2.0, 10.0])
def test_more_stock_never_brings_the_stockout_sooner(level):
    demand = DemandProfile(level, FLAT.weekday)
    days = [outlook(atp, [], demand, MONDAY, 28, 7).stockout or date.max for atp in (0, 5, 20, 80)]
    assert days == sorted(days)
