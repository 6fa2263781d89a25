"""Statistics of the anomaly checks: binomial and Poisson tails, rate excess, volume drop."""

import math

import pytest

from oms.domain.anomaly_rules import (
    RateTest,
    binomial_tail,
    expected_rate,
    poisson_cdf,
    rate_excess,
    volume_drop,
)


def test_binomial_tail_matches_a_direct_sum():
    n, p, k = 20, 0.1, 5
    direct = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))
    assert binomial_tail(k, n, p) == pytest.approx(direct, rel=1e-9)


def test_binomial_tail_edges():
    assert binomial_tail(0, 10, 0.2) == 1.0
    assert binomial_tail(11, 10, 0.2) == 0.0
    assert binomial_tail(3, 10, 0.0) == 0.0


def test_poisson_cdf_matches_a_direct_sum():
    mu = 4.5
    direct = sum(math.exp(-mu) * mu**i / math.factorial(i) for i in range(4))
    assert poisson_cdf(3, mu) == pytest.approx(direct, rel=1e-9)
    assert poisson_cdf(0, 41) < 1e-15


def test_the_expected_rate_leans_on_the_network_when_the_sku_has_little_history():
    assert expected_rate(0, 2, 0.05, prior_weight=50) == pytest.approx(0.05 * 50 / 52)
    assert expected_rate(300, 1000, 0.05, prior_weight=50) == pytest.approx(302.5 / 1050)


def test_one_of_two_returned_is_not_an_anomaly():
    assert rate_excess(1, 2, 0.05, RateTest()) is None


def test_many_more_than_expected_is_an_anomaly():
    excess = rate_excess(30, 100, 0.05, RateTest())
    assert excess is not None
    assert excess.observed == 0.3 and excess.p_value < 1e-6


def test_a_rate_only_a_little_high_on_much_volume_does_not_fire():
    # 6.5% against 5% is significant on 10,000 trials, but not twice the expected rate.
    assert rate_excess(650, 10_000, 0.05, RateTest()) is None


def test_no_orders_for_three_hours_when_forty_were_expected_is_a_drop():
    drop = volume_drop(0, [41, 38, 44, 40])
    assert drop is not None and drop.expected == pytest.approx(40.75)


def test_a_normal_quiet_hour_is_not_a_drop():
    assert volume_drop(30, [41, 38, 44, 40]) is None


def test_a_quiet_channel_never_drops():
    assert volume_drop(0, [2, 3, 1, 2]) is None
    assert volume_drop(0, []) is None


def test_an_alerted_rate_stays_until_it_is_plainly_back():
    test = RateTest()
    assert rate_excess(8, 100, 0.03, test) is None  # 8% against 3%: not enough to raise
    assert rate_excess(8, 100, 0.03, test.to_keep()) is not None  # but enough to keep an alert open
    assert rate_excess(4, 100, 0.03, test.to_keep()) is None  # back to normal: it clears
