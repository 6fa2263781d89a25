"""Reading alerts: one, or a filtered page (oldest first, by id)."""

from sqlalchemy import select

from oms.db.tables import alerts
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AlertPage, AlertPublic, AlertQuery
from oms.services.alerts import alert_view
from oms.services.errors import NotFound
from oms.services.pagination import fetch_page
from oms.services.uow import UnitOfWork

_FILTERS = {
    "kind": alerts.c.kind,
    "status": alerts.c.status,
    "severity": alerts.c.severity,
    "node": alerts.c.node_id,
    "carrier": alerts.c.carrier,
    "channel": alerts.c.channel_id,
}


def get_alert(uow: UnitOfWork, actor: Actor, alert_id: int) -> AlertPublic:
    actor.require(Permission.ALERTS_READ)
    with uow.reading():
        row = uow.conn.execute(select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise NotFound(f"no alert {alert_id}")
    return alert_view(row)


def list_alerts(uow: UnitOfWork, actor: Actor, query: AlertQuery) -> AlertPage:
    actor.require(Permission.ALERTS_READ)
    stmt = select(alerts)
    for name, column in _FILTERS.items():
        value = getattr(query, name)
        if value is not None:
            stmt = stmt.where(column == value)
    if query.since is not None:
        stmt = stmt.where(alerts.c.raised_at >= query.since)
    with uow.reading():
        return fetch_page(uow.conn, stmt, [alerts.c.id], query.limit, query.cursor, AlertPage, alert_view)
