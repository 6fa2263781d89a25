"""When a failed webhook delivery is tried again, and when it is given up (the dead-letter list)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    base_s: float = 10.0  # the wait after the first failure; it doubles with each failure after
    cap_s: float = 3600.0  # never wait longer than this between two attempts
    max_attempts: int = 12  # about 10 hours of retries with the defaults
    max_age_s: float = 3 * 24 * 3600.0  # a delivery still failing this long after it was queued is dead


def retry_delay(policy: RetryPolicy, attempts: int, jitter: float) -> float:
    """Seconds to wait after the `attempts`-th failed attempt (1 for the first). `jitter` in [0, 1)
    spreads the wait over its upper half, so receivers coming back up are not hit by every sender at once."""
    ceiling = min(policy.cap_s, policy.base_s * 2 ** min(attempts - 1, 40))
    return ceiling * (0.5 + jitter / 2)


def is_dead(policy: RetryPolicy, attempts: int, age_s: float) -> bool:
    """A delivery that failed its `attempts`-th attempt `age_s` seconds after being queued is given up."""
    return attempts >= policy.max_attempts or age_s >= policy.max_age_s
