"""Statistics of the anomaly checks: is a SKU's recent cancellation or return rate improbably high for it,
is a channel's order count improbably low for the hour and weekday. Exact binomial and Poisson tails, so
small counts are judged as small counts (1 of 2 returned is not evidence of anything)."""

import math
from dataclasses import dataclass


def binomial_tail(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p)."""
    if k <= 0:
        return 1.0
    if k > n or p <= 0:
        return 0.0
    if p >= 1:
        return 1.0
    log_p, log_q = math.log(p), math.log1p(-p)
    total = 0.0
    for i in range(k, n + 1):
        term = math.exp(_log_choose(n, i) + i * log_p + (n - i) * log_q)
        total += term
        if i > n * p and term < total * 1e-12:  # past the mode the terms only shrink
            break
    return min(1.0, total)


def poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for X ~ Poisson(mu)."""
    if k < 0:
        return 0.0
    if mu <= 0:
        return 1.0
    return min(1.0, sum(math.exp(i * math.log(mu) - mu - math.lgamma(i + 1)) for i in range(k + 1)))


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


@dataclass(frozen=True, slots=True)
class RateTest:
    """Thresholds: at least `min_count` events, a rate `min_ratio` times the expected one, and a one-sided
    p-value under `alpha`."""

    min_count: int = 5
    min_ratio: float = 2.0
    alpha: float = 0.001
    prior_weight: float = 50.0  # the network rate counts as this many of the SKU's own trials

    def to_keep(self) -> "RateTest":
        """The looser test a SKU already alerted must fail before its alert clears (half the excess ratio,
        fifty times the p-value, at most 0.05): a rate hovering at the threshold does not raise, clear and
        raise again scan after scan."""
        ratio = 1 + (self.min_ratio - 1) / 2
        return RateTest(self.min_count, ratio, min(0.05, self.alpha * 50), self.prior_weight)


@dataclass(frozen=True, slots=True)
class RateExcess:
    observed: float  # the recent rate
    expected: float  # the SKU's baseline shrunk toward the network's
    p_value: float


def expected_rate(
    baseline_events: int, baseline_trials: int, network_rate: float, prior_weight: float
) -> float:
    """The SKU's own baseline rate, shrunk toward the network's: a SKU with little history is expected to
    behave like the rest, one with much history like itself."""
    return (baseline_events + prior_weight * network_rate) / (baseline_trials + prior_weight)


def rate_excess(events: int, trials: int, expected: float, test: RateTest) -> RateExcess | None:
    """The recent `events` of `trials` when improbably many for a rate of `expected`, else None."""
    if trials <= 0 or events < test.min_count:
        return None
    observed = events / trials
    if observed < test.min_ratio * expected:
        return None
    p_value = binomial_tail(events, trials, expected)
    return RateExcess(observed, expected, p_value) if p_value < test.alpha else None


@dataclass(frozen=True, slots=True)
class VolumeDrop:
    observed: int
    expected: float
    p_value: float


def volume_drop(observed: int, previous: list[int], alpha: float = 0.001,
                min_expected: float = 10.0) -> VolumeDrop | None:  # fmt: skip
    """`observed` orders against the counts of the same hours in previous weeks, when improbably few for
    a Poisson count of their mean; a quiet channel (expected under `min_expected`) never drops."""
    if not previous:
        return None
    expected = sum(previous) / len(previous)
    if expected < min_expected or observed >= expected:
        return None
    p_value = poisson_cdf(observed, expected)
    return VolumeDrop(observed, expected, p_value) if p_value < alpha else None
