"""How a scan's findings land on the alerts of their conditions: a new condition is raised; one already
open keeps its alert, with the figures refreshed (score, reasons, message) so the ranking reads today's;
one that grew more severe is raised anew, the old alert resolved as escalated, so the escalation is
published and seen rather than hidden under an alert acknowledged at a lower severity."""

from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.domain.alerts import Severity
from oms.services.alerts import AlertDraft
from oms.services.anomaly_models import Finding

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.CRITICAL: 2}
_OPEN = text(
    "SELECT dedupe_key, severity FROM alerts WHERE status <> 'resolved' AND kind = ANY(CAST(:kinds AS text[]))"
)
_REFRESH = text(
    """
    UPDATE alerts a SET message = f.message, details = f.details
    FROM jsonb_to_recordset(CAST(:findings AS jsonb)) AS f(dedupe_key text, message text, details jsonb)
    WHERE a.dedupe_key = f.dedupe_key AND a.status <> 'resolved'
    """
)


def open_severities(conn: Connection, kinds: list[str]) -> dict[str, Severity]:
    """The open (or acknowledged) alerts of these kinds: dedupe key -> severity."""
    return {row.dedupe_key: Severity(row.severity) for row in conn.execute(_OPEN, {"kinds": kinds})}


def escalated(findings: list[Finding], open_now: dict[str, Severity]) -> list[str]:
    """The conditions whose finding is more severe than their open alert."""
    return sorted(f.dedupe_key for f in findings
                  if f.dedupe_key in open_now and _RANK[f.severity] > _RANK[open_now[f.dedupe_key]])  # fmt: skip


def refresh(conn: Connection, findings: list[Finding]) -> None:
    """Today's figures on the open alerts of these findings (their severity and status stay)."""
    if findings:
        rows = [
            {"dedupe_key": f.dedupe_key, "message": f.message, "details": draft(f).details} for f in findings
        ]
        conn.execute(_REFRESH, {"findings": dumps_json(rows)})


def in_lock_order(findings: list[Finding]) -> list[Finding]:
    # An alert's row share-locks its order (foreign key): raise in order id order, as the SLA check does,
    # so a scan and an order command never wait on each other in opposite orders.
    return sorted(findings, key=lambda f: (f.subject.order_id or 0, f.dedupe_key))


def draft(finding: Finding) -> AlertDraft:
    details = {**finding.details, "score": finding.score,
               "contributions": [c.model_dump() for c in finding.contributions]}  # fmt: skip
    return AlertDraft(
        finding.kind, finding.severity, finding.dedupe_key, finding.message, details, finding.subject
    )
