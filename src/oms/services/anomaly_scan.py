"""An anomaly scan: run every check (delay risk, stockout forecast, stuck orders, cancellation and return
rates, channel volume), then record what the agent made of their findings in one unit of work: each
finding raised as an alert (one per dedupe key: a repeat refreshes the open alert's figures, a higher
severity raises it anew; oms.services.anomaly_scan_alerts), the open alerts of the kinds looked at whose
condition was not found again resolved, and the scan itself with its figures. The agent
(agents/anomaly.py) ranks, explains and writes the digest in between; `store_digest` keeps the digest.

A check that raises is reported in the scan, never fatal, and its kinds are left as they were."""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import insert, text, update

from oms.db.tables import anomaly_scans
from oms.domain.alerts import AlertKind
from oms.services.actor import Actor, Permission, Role
from oms.services.alerts import raise_alert, resolve_conditions
from oms.services.anomaly_checks_rates import cancellation_rate_findings, return_rate_findings
from oms.services.anomaly_checks_stockout import stockout_findings
from oms.services.anomaly_checks_stuck import stuck_order_findings
from oms.services.anomaly_checks_volume import channel_volume_findings
from oms.services.anomaly_models import Finding
from oms.services.anomaly_scan_alerts import draft, escalated, in_lock_order, open_severities, refresh
from oms.services.anomaly_scan_models import CheckRun, ScanPublic, ScanRecord
from oms.services.delay_risk_findings import delay_findings
from oms.services.errors import NotFound
from oms.services.uow import UnitOfWork

ANOMALY_AGENT = Actor(name="system:anomaly-agent", role=Role.ADMIN)
CLEARED = "cleared: the anomaly scan no longer finds this condition"
ESCALATED = "escalated: the anomaly scan raised it again at a higher severity"
_ONE_WRITER = text("SELECT pg_advisory_xact_lock(hashtext('oms.anomaly_scan.record'))")
log = logging.getLogger(__name__)


class ScanSettings(BaseSettings):
    """OMS_ANOMALY_SCAN_MINUTES (how often `oms run` scans), OMS_ANOMALY_TOP_PER_KIND (alerts raised per
    kind and scan at most: the most urgent; a manager reads a list, not a dump)."""

    model_config = SettingsConfigDict(env_prefix="OMS_ANOMALY_", extra="ignore")
    scan_minutes: float = 15.0
    top_per_kind: int = 20


class Check(NamedTuple):
    run: Callable[[UnitOfWork, Actor, datetime | None], list[Finding]]
    kinds: tuple[AlertKind, ...]  # the conditions it looks for: their alerts clear when it finds none


CHECKS: dict[str, Check] = {
    "delay": Check(delay_findings, (AlertKind.LATE_DELIVERY_RISK,)),
    "stockout": Check(stockout_findings, (AlertKind.STOCKOUT_PREDICTED,)),
    "stuck_orders": Check(stuck_order_findings, (AlertKind.ORDER_STUCK,)),
    "cancellation_rate": Check(cancellation_rate_findings, (AlertKind.CANCELLATION_RATE,)),
    "return_rate": Check(return_rate_findings, (AlertKind.RETURN_RATE,)),
    "channel_volume": Check(channel_volume_findings, (AlertKind.CHANNEL_VOLUME_DROP,)),
}


def run_checks(uow: UnitOfWork, actor: Actor, now: datetime | None = None,
               checks: dict[str, Check] | None = None) -> CheckRun:  # fmt: skip
    """Every check's findings as of `now`; a check that raises is logged and named in `failed`."""
    actor.require(Permission.ALERTS_MANAGE)
    result = CheckRun()
    for name, check in (CHECKS if checks is None else checks).items():
        try:
            result.findings[name] = check.run(uow, actor, now)
        except Exception as error:  # one broken check must not silence the others
            log.exception("anomaly check %s failed", name)
            result.failed[name] = f"{type(error).__name__}: {error}"
        else:
            result.covered.extend(k for k in check.kinds if k not in result.covered)
    return result


def record_scan(uow: UnitOfWork, actor: Actor, scan: ScanRecord, now: datetime | None = None) -> ScanPublic:
    """Raise the scan's findings (oms.services.anomaly_scan_alerts: new, refreshed or escalated), resolve
    the cleared conditions of its kinds, and write the scan."""
    actor.require(Permission.ALERTS_MANAGE)
    now = now or datetime.now(UTC)
    with uow:
        # Scans write one at a time (the worker's and a manager's "Scan now" may overlap): their updates of
        # the same open alerts, in whatever order each statement takes, then never deadlock.
        uow.conn.execute(_ONE_WRITER)
        open_now = open_severities(uow.conn, [k.value for k in scan.covered])
        escalations = escalated(scan.findings, open_now)
        resolve_conditions(uow, actor, escalations, ESCALATED, at=now)
        raised = [
            alert for f in in_lock_order(scan.findings) if (alert := raise_alert(uow, actor, draft(f), now))
        ]
        refresh(uow.conn, [f for f in scan.findings if f.dedupe_key in open_now.keys() - set(escalations)])
        resolved = resolve_conditions(uow, actor, sorted(open_now.keys() - set(scan.found)), CLEARED, at=now)
        summary = {
            **scan.summary,
            "raised_alerts": {a.dedupe_key: a.id for a in raised},
            "escalated": escalations,
        }
        row = uow.conn.execute(insert(anomaly_scans).values(
            started_at=scan.started_at, finished_at=now, actor=actor.name, raised=len(raised),
            resolved=len(resolved), summary=summary).returning(anomaly_scans)).one()  # fmt: skip
        recorded = ScanPublic.model_validate(row._mapping)
        uow.record(actor, "anomaly_scan.recorded", "anomaly_scan", recorded.id,
                   after=recorded.model_dump(mode="json"))  # fmt: skip
        uow.commit()
    return recorded


def store_digest(uow: UnitOfWork, actor: Actor, scan_id: int, digest: str, digest_by: str) -> ScanPublic:
    """Keep the manager digest written for scan `scan_id` (by the LLM or from the template)."""
    actor.require(Permission.ALERTS_MANAGE)
    stmt = (update(anomaly_scans).where(anomaly_scans.c.id == scan_id)
            .values(digest=digest, digest_by=digest_by).returning(anomaly_scans))  # fmt: skip
    with uow.autocommit():
        row = uow.conn.execute(stmt).first()
    if row is None:
        raise NotFound(f"no anomaly scan {scan_id}")
    return ScanPublic.model_validate(row._mapping)
