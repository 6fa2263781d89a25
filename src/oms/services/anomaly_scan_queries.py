"""Reading what the anomaly scans left: the latest scans with their digests, and the open anomaly alerts
ranked as the agent ranks them (most severe first, then by score)."""

from sqlalchemy import Float, case, cast, select

from oms.db.tables import alerts, anomaly_scans
from oms.domain.alerts import AlertKind, AlertStatus, Severity
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AlertPublic
from oms.services.alerts import alert_view
from oms.services.anomaly_scan_models import ScanPublic
from oms.services.uow import UnitOfWork

ANOMALY_KINDS = (AlertKind.LATE_DELIVERY_RISK, AlertKind.STOCKOUT_PREDICTED, AlertKind.ORDER_STUCK,
                 AlertKind.CANCELLATION_RATE, AlertKind.RETURN_RATE, AlertKind.CHANNEL_VOLUME_DROP)  # fmt: skip
_SEVERITY_RANK = case(
    {Severity.CRITICAL.value: 0, Severity.WARNING.value: 1}, value=alerts.c.severity, else_=2
)


def latest_scans(uow: UnitOfWork, actor: Actor, limit: int = 10) -> list[ScanPublic]:
    """The latest scans, newest first."""
    actor.require(Permission.ALERTS_READ)
    stmt = (
        select(anomaly_scans)
        .order_by(anomaly_scans.c.started_at.desc(), anomaly_scans.c.id.desc())
        .limit(limit)
    )
    with uow.reading():
        return [ScanPublic.model_validate(row._mapping) for row in uow.conn.execute(stmt)]


def ranked_anomaly_alerts(uow: UnitOfWork, actor: Actor, limit: int = 50) -> list[AlertPublic]:
    """The anomaly alerts not resolved yet: critical first, then warnings, each by score, highest first."""
    actor.require(Permission.ALERTS_READ)
    score = cast(alerts.c.details["score"].astext, Float)
    stmt = (select(alerts)
            .where(alerts.c.kind.in_([k.value for k in ANOMALY_KINDS]), alerts.c.status != AlertStatus.RESOLVED.value)
            .order_by(_SEVERITY_RANK, score.desc().nulls_last(), alerts.c.id).limit(limit))  # fmt: skip
    with uow.reading():
        return [alert_view(row) for row in uow.conn.execute(stmt)]
