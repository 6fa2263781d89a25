"""The periodic SLA check (a worker job, and `oms sla check`): raises an alert for each fulfilment order at
risk of missing its ship-by date or past it, and each parcel at risk of missing its deliver-by date or
past it (rules in oms.domain.sla), and resolves the alerts of those kinds whose condition has cleared
(shipped, delivered, superseded by a breach). One alert per condition however often it runs; several
workers may run it at once (the dedupe key's unique index and the resolving UPDATE let one win).

Cheap when nothing is due: two index probes on open fulfilment orders, one on parcels with the carrier,
one on open alerts; a write transaction only when something changes.
"""

from datetime import UTC, datetime, timedelta

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Connection, Engine, Row, text

from oms.domain.alerts import AlertKind, dedupe_key
from oms.domain.sla import (
    Finding,
    NodeClock,
    OpenFulfilment,
    ParcelInFlight,
    SlaPolicy,
    deliver_by_finding,
    ship_by_finding,
)
from oms.domain.transit import TransitRule, TransitTable
from oms.services.actor import Actor, Role
from oms.services.alert_models import AlertSubject
from oms.services.alerts import AlertDraft, raise_alert, resolve_conditions
from oms.services.uow import UnitOfWork

SLA_CHECK = Actor(name="system:sla-check", role=Role.ADMIN)
CHECKED_KINDS = (AlertKind.SHIP_BY_AT_RISK, AlertKind.SHIP_BY_BREACHED, AlertKind.DELIVER_BY_AT_RISK,
                 AlertKind.DELIVER_BY_BREACHED)  # fmt: skip


class SlaSettings(BaseSettings):
    """OMS_SLA_CUTOFF_WINDOW_MINUTES, OMS_SLA_ACK_HOURS."""

    model_config = SettingsConfigDict(env_prefix="OMS_SLA_", extra="ignore")
    cutoff_window_minutes: int = 120
    ack_hours: float = 4.0

    def policy(self) -> SlaPolicy:
        return SlaPolicy(timedelta(minutes=self.cutoff_window_minutes), self.ack_hours)


# Open fulfilment orders whose ship-by day may have come somewhere (the horizon is tomorrow in UTC, so
# every time zone's today), and those a WMS has not acknowledged for longer than the hours allowed.
_FULFILMENTS = text(
    """
    SELECT f.id, f.order_id, f.node_id, f.ship_by, f.created_at AS released_at,
           f.acknowledged_at IS NOT NULL AS acknowledged, coalesce(i.transport, 'manual') <> 'manual' AS has_wms,
           n.timezone, n.cutoff_time, n.country
    FROM (SELECT id FROM fulfilment_orders WHERE closed_at IS NULL AND ship_by <= :horizon
          UNION
          SELECT id FROM fulfilment_orders
          WHERE closed_at IS NULL AND acknowledged_at IS NULL AND created_at <= :unacknowledged_since) due
    JOIN fulfilment_orders f ON f.id = due.id
    JOIN nodes n ON n.id = f.node_id
    LEFT JOIN node_integrations i ON i.node_id = f.node_id
    WHERE f.ship_by IS NOT NULL
    """
)
_PARCELS = text(
    """
    SELECT s.id, s.order_id, s.fulfilment_order_id, s.node_id, s.carrier, s.service_level, s.status,
           s.shipped_at, s.promised_delivery_date AS deliver_by, coalesce(s.distance_km, 0) AS distance_km,
           n.timezone, n.country AS origin, o.ship_to_country AS destination
    FROM shipments s JOIN nodes n ON n.id = s.node_id JOIN orders o ON o.id = s.order_id
    WHERE s.status IN ('shipped','in_transit','out_for_delivery','exception')
      AND s.promised_delivery_date IS NOT NULL AND s.shipped_at IS NOT NULL
    """
)
_OPEN_ALERTS = text(
    "SELECT dedupe_key FROM alerts WHERE status IN ('open','acknowledged') AND kind = ANY(CAST(:kinds AS text[]))"
)
_RULES = text("SELECT carrier, service_level, origin_country, dest_country, max_distance_km, transit_days "
              "FROM transit_rules")  # fmt: skip


def check_sla(engine: Engine, now: datetime | None = None, policy: SlaPolicy | None = None) -> int:
    """Raise and resolve SLA alerts as of `now` (default: the clock); returns how many changed."""
    now = now or datetime.now(UTC)
    policy = policy or SlaSettings().policy()
    with UnitOfWork(engine) as uow:
        drafts = {**_ship_by_drafts(uow.conn, now, policy), **_deliver_by_drafts(uow.conn, now)}
        kinds = [k.value for k in CHECKED_KINDS]
        open_keys = set(uow.conn.execute(_OPEN_ALERTS, {"kinds": kinds}).scalars())
        # An alert's row share-locks its order (foreign key): raise them in order id order, the order in
        # which carrier batches and order commands lock orders, or a check and a batch deadlock.
        new = sorted(drafts.keys() - open_keys, key=lambda k: (drafts[k].subject.order_id or 0, k))
        raised = [raise_alert(uow, SLA_CHECK, drafts[k], at=now) for k in new]
        resolved = [
            alert
            for note, keys in _why_cleared(uow.conn, open_keys - drafts.keys(), drafts).items()
            for alert in resolve_conditions(uow, SLA_CHECK, keys, note, at=now)
        ]
        changed = sum(a is not None for a in raised) + len(resolved)
        if changed:
            uow.commit()
    return changed


def _why_cleared(conn: Connection, keys: set[str], drafts: dict[str, AlertDraft]) -> dict[str, list[str]]:
    """The cleared conditions grouped by a note saying why: a breach superseding a risk, or what their
    fulfilment order or shipment is now (shipped, delivered, ...)."""
    subjects = {key: key.split(":", 1)[1] for key in keys}  # kind:subject:id -> subject:id
    still = {d.dedupe_key.split(":", 1)[1]: d.kind.value for d in drafts.values()}
    status = {}
    for table, subject in (("fulfilment_orders", "fulfilment_order"), ("shipments", "shipment")):
        ids = [int(s.rsplit(":", 1)[1]) for s in subjects.values() if s.startswith(f"{subject}:")]
        if ids:
            rows = conn.execute(text(f"SELECT id, status FROM {table} WHERE id = ANY(:ids)"), {"ids": ids})
            status |= {f"{subject}:{r.id}": f"{subject.replace('_', ' ')} {r.status}" for r in rows}
    notes: dict[str, list[str]] = {}
    for key in sorted(keys):
        subject = subjects[key]
        note = (
            f"superseded by {still[subject]}"
            if subject in still
            else f"cleared: {status.get(subject, 'gone')}"
        )
        notes.setdefault(note, []).append(key)
    return notes


def _ship_by_drafts(conn: Connection, now: datetime, policy: SlaPolicy) -> dict[str, AlertDraft]:
    params = {"horizon": (now + timedelta(days=1)).date(),
              "unacknowledged_since": now - timedelta(hours=policy.ack_hours)}  # fmt: skip
    drafts = {}
    for r in conn.execute(_FULFILMENTS, params):
        fo = OpenFulfilment(r.ship_by, r.released_at, r.acknowledged, r.has_wms,
                            NodeClock(r.timezone, r.cutoff_time, r.country))  # fmt: skip
        finding = ship_by_finding(fo, now, policy)
        if finding:
            draft = _draft(finding, "fulfilment_order", r.id, f"Fulfilment order {r.id} at {r.node_id}",
                           order_id=r.order_id, fulfilment_order_id=r.id, node_id=r.node_id)  # fmt: skip
            drafts[draft.dedupe_key] = draft
    return drafts


def _deliver_by_drafts(conn: Connection, now: datetime) -> dict[str, AlertDraft]:
    transit = _TransitByCarrier(conn)
    drafts = {}
    for r in conn.execute(_PARCELS):
        parcel = ParcelInFlight(
            r.deliver_by, r.shipped_at, r.status, transit.days(r), r.timezone, r.destination
        )
        finding = deliver_by_finding(parcel, now)
        if finding:
            draft = _draft(finding, "shipment", r.id, f"Shipment {r.id} ({r.carrier})", order_id=r.order_id,
                           fulfilment_order_id=r.fulfilment_order_id, shipment_id=r.id, node_id=r.node_id,
                           carrier=r.carrier)  # fmt: skip
            drafts[draft.dedupe_key] = draft
    return drafts


def _draft(finding: Finding, subject: str, subject_id: int, name: str, **ids) -> AlertDraft:
    return AlertDraft(finding.kind, finding.severity, dedupe_key(finding.kind, subject, subject_id),
                      f"{name}: {finding.message}", {**finding.details, "reason": finding.reason},
                      AlertSubject(**ids))  # fmt: skip


class _TransitByCarrier:
    """Each carrier's own transit rules (the built-in defaults when none are configured at all); a carrier
    without rules of its own has no known transit."""

    def __init__(self, conn: Connection):
        by_carrier: dict[str, list[TransitRule]] = {}
        for row in conn.execute(_RULES):
            by_carrier.setdefault(row.carrier.lower(), []).append(TransitRule(**row._mapping))
        self._tables = {carrier: TransitTable(rules) for carrier, rules in by_carrier.items()}
        self._default = None if by_carrier else TransitTable(())

    def days(self, parcel: Row) -> int | None:
        table = self._tables.get(parcel.carrier.lower(), self._default)
        found = table and table.find(parcel.service_level, parcel.origin, parcel.destination,
                                     float(parcel.distance_km))  # fmt: skip
        return found.days if found else None
