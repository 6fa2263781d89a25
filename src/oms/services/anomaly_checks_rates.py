"""The rate checks of the anomaly scan: a SKU cancelled (CANCELLATION_RATE) or returned (RETURN_RATE)
unusually often lately. The recent window (AnomalySettings.rate_recent_days) is tested against the SKU's
own baseline before it, shrunk toward the network's rate (oms.domain.anomaly_rules), with an exact
binomial test, a minimum count and a minimum ratio: 1 of 2 returned fires nothing. A SKU already alerted
is held to a looser test (RateTest.to_keep), so its alert does not flap around the threshold.

Trials and events are order lines, not units (a line of 40 cancelled is one decision), counted by cohort:
cancellations, the lines of the orders captured in each window and those of them cancelled; returns, the
lines shipped in each window and those of them on a return so far (neither cancelled nor rejected). A
recent cohort has had less time to come back than the baseline's, which errs towards silence, never
towards blaming a SKU that stopped selling for the returns of what it sold before. One pass per rate."""

import math
from datetime import UTC, datetime, timedelta

from sqlalchemy import Row, text

from oms.domain.alerts import AlertKind, Severity, dedupe_key
from oms.domain.anomaly_rules import RateExcess, expected_rate, rate_excess
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AlertSubject
from oms.services.anomaly_checks_settings import AnomalySettings
from oms.services.anomaly_models import Contribution, Finding
from oms.services.uow import UnitOfWork

_CANCELLED = text(
    """
    SELECT l.sku, count(*) FILTER (WHERE o.created_at >= :recent) AS recent_trials,
           count(*) FILTER (WHERE o.created_at >= :recent AND l.status = 'cancelled') AS recent_events,
           count(*) FILTER (WHERE o.created_at < :recent) AS base_trials,
           count(*) FILTER (WHERE o.created_at < :recent AND l.status = 'cancelled') AS base_events
    FROM orders o JOIN order_lines l ON l.order_id = o.id
    WHERE o.created_at >= :since AND o.created_at < :now
    GROUP BY l.sku
    """
)
_RETURNED = text(
    """
    SELECT sl.sku, count(*) FILTER (WHERE s.shipped_at >= :recent) AS recent_trials,
           count(ret.order_line_id) FILTER (WHERE s.shipped_at >= :recent) AS recent_events,
           count(*) FILTER (WHERE s.shipped_at < :recent) AS base_trials,
           count(ret.order_line_id) FILTER (WHERE s.shipped_at < :recent) AS base_events
    FROM shipments s JOIN shipment_lines sl ON sl.shipment_id = s.id
    LEFT JOIN (SELECT DISTINCT rl.order_line_id FROM returns r JOIN return_lines rl ON rl.return_id = r.id
               WHERE r.status NOT IN ('cancelled', 'rejected')) ret ON ret.order_line_id = sl.order_line_id
    WHERE s.shipped_at >= :since AND s.shipped_at < :now
    GROUP BY sl.sku
    """
)
_ALERTED = text("SELECT sku FROM alerts WHERE status <> 'resolved' AND kind = :kind AND sku IS NOT NULL")
_RATES = {AlertKind.CANCELLATION_RATE: (_CANCELLED, "cancelled", "ordered"),
          AlertKind.RETURN_RATE: (_RETURNED, "returned", "shipped")}  # fmt: skip


def cancellation_rate_findings(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> list[Finding]:
    actor.require(Permission.REPORTS_READ)
    return _rate_findings(uow, AlertKind.CANCELLATION_RATE, now)


def return_rate_findings(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> list[Finding]:
    actor.require(Permission.REPORTS_READ)
    return _rate_findings(uow, AlertKind.RETURN_RATE, now)


def _rate_findings(uow: UnitOfWork, kind: AlertKind, now: datetime | None) -> list[Finding]:
    settings, now = AnomalySettings(), now or datetime.now(UTC)
    recent = now - timedelta(days=settings.rate_recent_days)
    window = {"now": now, "recent": recent, "since": recent - timedelta(days=settings.rate_baseline_days)}
    with uow.reading():
        rows = uow.conn.execute(_RATES[kind][0], window).all()
        alerted = set(uow.conn.execute(_ALERTED, {"kind": kind.value}).scalars())
    network = sum(r.base_events for r in rows) / max(1, sum(r.base_trials for r in rows))
    to_raise, findings = settings.rate_test(), []
    for r in rows:
        test = to_raise.to_keep() if r.sku in alerted else to_raise
        expected = expected_rate(r.base_events, r.base_trials, network, test.prior_weight)
        if excess := rate_excess(r.recent_events, r.recent_trials, expected, test):
            findings.append(_finding(kind, r, excess, network, settings.rate_recent_days))
    return sorted(findings, key=lambda f: -f.score)


def _finding(kind: AlertKind, r: Row, excess: RateExcess, network: float, days: int) -> Finding:
    trials = r.recent_trials
    _, happened, base = _RATES[kind]
    surprise = -math.log10(max(excess.p_value, 1e-300))  # 3 at the default alpha of 0.001
    sku_rate = r.base_events / r.base_trials if r.base_trials else None
    baseline = f"SKU {sku_rate:.1%} of {r.base_trials}, " if sku_rate is not None else ""
    return Finding(
        kind=kind, severity=Severity.CRITICAL if surprise >= 6 else Severity.WARNING,
        dedupe_key=dedupe_key(kind, "sku", r.sku), subject=AlertSubject(sku=r.sku),
        message=f"{r.sku}: {r.recent_events} of {trials} lines {base} in {days} days were {happened} "
                f"({excess.observed:.0%}); {excess.expected:.1%} expected",
        score=round(min(1.0, surprise / 10), 4),
        contributions=[
            Contribution(feature=f"recent_{happened}_rate", value=f"{excess.observed:.1%} of {trials} lines",
                         effect=round(excess.observed - excess.expected, 4)),
            Contribution(feature="expected_rate",
                         value=f"{excess.expected:.1%} ({baseline}network {network:.1%})",
                         effect=round(-excess.expected, 4)),
        ],
        details={"events": r.recent_events, "trials": trials, "rate": round(excess.observed, 4),
                 "expected_rate": round(excess.expected, 4), "network_rate": round(network, 4),
                 "baseline_events": r.base_events, "baseline_trials": r.base_trials,
                 "p_value": excess.p_value, "window_days": days},
    )  # fmt: skip
