"""The stuck-order check of the anomaly scan: an order that has sat in one state (received, on hold,
allocated, backordered, released, ...) longer than that state should last is an ORDER_STUCK finding.

How long it has sat is counted from its last state-changing event in the audit trail (captured,
allocated, held, released, shipped, ...: alerts and notes about it do not restart the clock), or from its
capture when the trail has none. Limits per state: AnomalySettings.stuck_hours (OMS_ANOMALY_STUCK_HOURS).
One pass: the orders in the watched states, each with its latest such event by the order's index."""

from datetime import UTC, datetime

from sqlalchemy import text

from oms.domain.alerts import AlertKind, Severity, dedupe_key
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AlertSubject
from oms.services.anomaly_checks_settings import AnomalySettings
from oms.services.anomaly_models import Contribution, Finding
from oms.services.uow import UnitOfWork

STATE_CHANGES = ("order.created", "order.allocated", "order.held", "order.hold_released", "order.released",
                 "order.rerouted", "order.line_cancelled", "order.updated", "fulfilment.released",
                 "fulfilment.short_picked", "fulfilment.rejected", "shipment.shipped",
                 "order.partially_shipped", "order.shipped")  # fmt: skip
_CRITICAL_TIMES = 3  # three times the state's limit is critical

_STUCK = text(
    """
    SELECT o.id, o.status, o.channel_id, o.hold_type, limits.hours,
           extract(epoch FROM CAST(:now AS timestamptz) - coalesce(e.at, o.created_at)) / 3600 AS hours_in
    FROM unnest(CAST(:states AS text[]), CAST(:hours AS float8[])) AS limits(status, hours)
    JOIN orders o ON o.status = limits.status
    LEFT JOIN LATERAL (SELECT max(a.created_at) AS at FROM audit_events a
                       WHERE a.order_id = o.id AND a.action = ANY(CAST(:actions AS text[]))) e ON true
    WHERE coalesce(e.at, o.created_at) < CAST(:now AS timestamptz) - limits.hours * interval '1 hour'
    ORDER BY o.id
    """
)


def stuck_order_findings(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> list[Finding]:
    """Orders past their state's limit, the longest overdue (relative to the limit) first."""
    actor.require(Permission.ORDER_READ)
    limits = AnomalySettings().stuck_hours
    params = {"now": now or datetime.now(UTC), "states": list(limits), "hours": list(limits.values()),
              "actions": list(STATE_CHANGES)}  # fmt: skip
    with uow.reading():
        rows = uow.conn.execute(_STUCK, params).all()
    findings = [_finding(r.id, r.status, r.channel_id, r.hold_type, float(r.hours_in), r.hours) for r in rows]
    return sorted(findings, key=lambda f: -f.score)


def _finding(order_id: int, status: str, channel: str, hold: str | None, hours_in: float,
             limit: float) -> Finding:  # fmt: skip
    times = hours_in / limit
    kind = AlertKind.ORDER_STUCK
    state = f"{status} ({hold})" if hold else status
    return Finding(
        kind=kind, severity=Severity.CRITICAL if times >= _CRITICAL_TIMES else Severity.WARNING,
        dedupe_key=dedupe_key(kind, "order", order_id), subject=AlertSubject(order_id=order_id),
        message=f"Order {order_id} ({channel}) has been {state} for {_duration(hours_in)}; "
                f"an order should leave {status} within {_duration(limit)}",
        score=round(1 - 1 / (1 + times), 4),  # 0.5 at the limit, towards 1 the longer past it
        contributions=[Contribution(feature="hours_in_status", value=f"{hours_in:.0f} h in {state}",
                                    effect=round(times - 1, 2))],
        details={"status": status, "hold_type": hold, "hours_in_status": round(hours_in, 1),
                 "limit_hours": limit},
    )  # fmt: skip


def _duration(hours: float) -> str:
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} days"
