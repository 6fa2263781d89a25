"""Alerts: raised by checks and events inside their own unit of work (one open alert per condition),
acknowledged and resolved by people, resolved by checks once their condition has cleared. Each raise and
resolution is audited and published (alert.raised, alert.resolved)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Row, text

from oms.db.engine import dumps_json
from oms.domain.alerts import AlertKind, Severity, allowed
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AcknowledgeCommand, AlertPublic, AlertSubject, ResolveCommand
from oms.services.errors import Conflict, NotFound
from oms.services.uow import UnitOfWork

SUBJECT = tuple(AlertSubject.model_fields)  # the columns saying what an alert is about

_RAISE = text(
    f"""
    INSERT INTO alerts (kind, severity, dedupe_key, message, details, raised_at, {", ".join(SUBJECT)})
    VALUES (:kind, :severity, :dedupe_key, :message, CAST(:details AS jsonb), coalesce(:at, now()),
            {", ".join(f":{c}" for c in SUBJECT)})
    ON CONFLICT (dedupe_key) WHERE status <> 'resolved' DO NOTHING
    RETURNING *
    """
)
_RESOLVE = text(
    """
    UPDATE alerts a SET status = 'resolved', resolved_at = coalesce(:at, now()), resolved_by = :by, note = :note
    FROM alerts old
    WHERE old.id = a.id AND a.dedupe_key = ANY(CAST(:keys AS text[])) AND a.status <> 'resolved'
    RETURNING a.*, old.status AS status_before
    """
)
_LOCK = text("SELECT * FROM alerts WHERE id = :id FOR UPDATE")
_ACKNOWLEDGE = text(
    """
    UPDATE alerts SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = :by, note = :note
    WHERE id = :id RETURNING *
    """
)


@dataclass(frozen=True, slots=True)
class AlertDraft:
    """An alert to raise: its kind, condition (dedupe key), what it says and what it is about."""

    kind: AlertKind
    severity: Severity
    dedupe_key: str
    message: str
    details: dict
    subject: AlertSubject


def alert_view(row: Row) -> AlertPublic:
    values = dict(row._mapping)
    return AlertPublic.model_validate({**values, "subject": AlertSubject.model_validate(values)})


def raise_alert(
    uow: UnitOfWork, actor: Actor, draft: AlertDraft, at: datetime | None = None
) -> AlertPublic | None:
    """Raise `draft` in the caller's unit of work, unless an alert of its condition is not yet resolved
    (then None: nothing changes). Concurrent raisers of one condition: one inserts, the others wait for it
    and change nothing."""
    params = {"kind": draft.kind.value, "severity": draft.severity.value, "dedupe_key": draft.dedupe_key,
              "message": draft.message, "details": dumps_json(draft.details), "at": at,
              **draft.subject.model_dump()}  # fmt: skip
    row = uow.conn.execute(_RAISE, params).first()
    if row is None:
        return None
    alert = alert_view(row)
    _record(uow, actor, "alert.raised", alert, before=None, publish="alert.raised")
    return alert


def resolve_conditions(uow: UnitOfWork, actor: Actor, keys: list[str], note: str,
                       at: datetime | None = None) -> list[AlertPublic]:  # fmt: skip
    """Resolve the alerts of these conditions that are not resolved yet, in the caller's unit of work."""
    if not keys:
        return []
    rows = uow.conn.execute(_RESOLVE, {"keys": keys, "by": actor.name, "note": note, "at": at}).all()
    resolved = []
    for row in rows:
        resolved.append(alert := alert_view(row))
        _record(
            uow,
            actor,
            "alert.resolved",
            alert,
            before={"status": row.status_before},
            publish="alert.resolved",
        )
    return resolved


def acknowledge(uow: UnitOfWork, actor: Actor, alert_id: int, cmd: AcknowledgeCommand) -> AlertPublic:
    """Someone is on it: the alert stays until resolved, and its condition raises no other meanwhile."""

    def acknowledged(conn: Connection, alert: Row) -> Row:
        return conn.execute(_ACKNOWLEDGE, {"id": alert_id, "by": actor.name, "note": cmd.note}).one()

    return _act(uow, actor, alert_id, "acknowledge", acknowledged, "alert.acknowledged", publish=None)


def resolve(uow: UnitOfWork, actor: Actor, alert_id: int, cmd: ResolveCommand) -> AlertPublic:
    """Close the alert by hand. If its condition still holds, the next check raises a new one."""

    def close(conn: Connection, alert: Row) -> Row:
        return conn.execute(
            _RESOLVE, {"keys": [alert.dedupe_key], "by": actor.name, "note": cmd.note, "at": None}
        ).one()

    return _act(uow, actor, alert_id, "resolve", close, "alert.resolved", publish="alert.resolved")


def _act(uow: UnitOfWork, actor: Actor, alert_id: int, action: str, change: Callable[[Connection, Row], Row],
         event: str, publish: str | None) -> AlertPublic:  # fmt: skip
    actor.require(Permission.ALERTS_MANAGE)
    with uow:
        row = uow.conn.execute(_LOCK, {"id": alert_id}).first()
        if row is None:
            raise NotFound(f"no alert {alert_id}")
        if not allowed(action, row.status):
            raise Conflict(f"cannot {action} an alert that is {row.status}")
        alert = alert_view(change(uow.conn, row))
        _record(uow, actor, event, alert, before={"status": row.status, "note": row.note}, publish=publish)
        uow.commit()
    return alert


def _record(uow: UnitOfWork, actor: Actor, action: str, alert: AlertPublic, before: dict | None,
            publish: str | None) -> None:  # fmt: skip
    uow.record(actor, action, "alert", alert.id, before=before, after=alert.model_dump(mode="json"),
               order_id=alert.subject.order_id, publish=publish)  # fmt: skip
