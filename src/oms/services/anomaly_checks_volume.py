"""The channel volume check of the anomaly scan: a channel whose orders of the last hours fell far under
the same hours of the same weekday in previous weeks (an integration that stopped, a shop that is down)
is a CHANNEL_VOLUME_DROP finding, e.g. "No shopify orders for 3 h; 41 expected".

Windows of a few hours catch a busy channel that stopped; a day's window a quiet one (a B2B or EDI feed)
that a few hours cannot judge; a channel found in both is reported once, by its most improbable window.
Expected = the mean count of those previous windows; it fires when a Poisson count of that mean makes
the observed count improbably low (oms.domain.anomaly_rules.volume_drop), never for a channel too quiet
to tell (expected under AnomalySettings.volume_min_expected). One pass: an index range scan on the
orders' capture time per window and week."""

import math
from datetime import UTC, datetime

from sqlalchemy import text

from oms.domain.alerts import AlertKind, Severity, dedupe_key
from oms.domain.anomaly_rules import VolumeDrop, volume_drop
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AlertSubject
from oms.services.anomaly_checks_settings import AnomalySettings
from oms.services.anomaly_models import Contribution, Finding
from oms.services.uow import UnitOfWork

_COUNTS = text(
    """
    SELECT c.id AS channel_id, c.name, h.hours, w.k AS weeks_ago, count(o.id) AS orders
    FROM channels c CROSS JOIN unnest(CAST(:hours AS int[])) AS h(hours)
    CROSS JOIN generate_series(0, :weeks) AS w(k)
    LEFT JOIN orders o ON o.channel_id = c.id
      AND o.created_at >= CAST(:now AS timestamptz) - w.k * interval '7 days' - h.hours * interval '1 hour'
      AND o.created_at < CAST(:now AS timestamptz) - w.k * interval '7 days'
    GROUP BY c.id, c.name, h.hours, w.k
    ORDER BY c.id, h.hours, w.k
    """
)


def channel_volume_findings(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> list[Finding]:
    """Channels whose recent orders dropped improbably low, the most improbable first."""
    actor.require(Permission.REPORTS_READ)
    settings = AnomalySettings()
    params = {"now": now or datetime.now(UTC), "weeks": settings.volume_weeks, "hours": settings.volume_hours}
    counts: dict[tuple[str, str, int], list[int]] = {}
    with uow.reading():
        for r in uow.conn.execute(_COUNTS, params):
            counts.setdefault((r.channel_id, r.name, r.hours), []).append(r.orders)  # this week first
    drops: dict[str, Finding] = {}
    for (channel, name, hours), (observed, *previous) in counts.items():
        drop = volume_drop(observed, previous, settings.volume_alpha, settings.volume_min_expected)
        if drop and (channel not in drops or drop.p_value < drops[channel].details["p_value"]):
            drops[channel] = _finding(channel, name, drop, previous, hours)
    return sorted(drops.values(), key=lambda f: -f.score)


def _finding(channel: str, name: str, drop: VolumeDrop, previous: list[int], hours: int) -> Finding:
    kind = AlertKind.CHANNEL_VOLUME_DROP
    if drop.observed == 0:
        message = f"No {name} orders for {hours} h; {drop.expected:.0f} expected"
    else:
        message = f"{name}: {drop.observed} orders in the last {hours} h; {drop.expected:.0f} expected"
    surprise = -math.log10(max(drop.p_value, 1e-300))
    return Finding(
        kind=kind, severity=Severity.CRITICAL if drop.observed == 0 else Severity.WARNING,
        dedupe_key=dedupe_key(kind, "channel", channel), subject=AlertSubject(channel_id=channel),
        message=message,
        score=round(min(1.0, surprise / 10), 4),
        contributions=[
            Contribution(feature="orders", value=f"{drop.observed} in {hours} h",
                         effect=round(1 - drop.observed / drop.expected, 4)),
            Contribution(feature="same_hours_previous_weeks", value=", ".join(map(str, previous)),
                         effect=0.0),
        ],
        details={"channel_id": channel, "observed": drop.observed, "expected": round(drop.expected, 1),
                 "previous_weeks": previous, "window_hours": hours, "p_value": drop.p_value},
    )  # fmt: skip
