"""Retry backoff and giving up on a webhook delivery."""

import pytest

from oms.domain.webhook_retry import RetryPolicy, is_dead, retry_delay

POLICY = RetryPolicy(base_s=10, cap_s=3600, max_attempts=12, max_age_s=86_400)


@pytest.mark.parametrize(("attempts", "ceiling"), [(1, 10), (2, 20), (3, 40), (9, 2560), (10, 3600), (50, 3600)])
def test_the_wait_doubles_after_each_failure_up_to_the_cap(attempts, ceiling):
    assert retry_delay(POLICY, attempts, jitter=0.999999) == pytest.approx(ceiling, rel=1e-5)


def test_jitter_spreads_the_wait_over_the_upper_half():
    assert retry_delay(POLICY, 3, jitter=0.0) == 20
    assert 20 < retry_delay(POLICY, 3, jitter=0.5) < 40


def test_a_delivery_is_dead_after_the_last_attempt_or_when_too_old():
    assert not is_dead(POLICY, 11, age_s=3600)
    assert is_dead(POLICY, 12, age_s=3600)
    assert is_dead(POLICY, 2, age_s=86_400)
