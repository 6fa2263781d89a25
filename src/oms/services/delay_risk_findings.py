"""The delay check of the anomaly scan: open shipments the latest delay model finds likely to land after
their promise become LATE_DELIVERY_RISK findings, most likely first."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pydantic_settings import BaseSettings, SettingsConfigDict

from oms.domain.alerts import AlertKind, Severity, dedupe_key
from oms.services.actor import Actor
from oms.services.alert_models import AlertSubject
from oms.services.anomaly_models import Finding
from oms.services.delay_history import node_cutoffs
from oms.services.delay_risk import ShipmentRisk, score_open_shipments
from oms.services.uow import UnitOfWork


class DelayRiskSettings(BaseSettings):
    """OMS_ANOMALY_DELAY_THRESHOLD (P(late) from which a shipment is flagged), OMS_ANOMALY_DELAY_CRITICAL
    (from which it is critical)."""

    model_config = SettingsConfigDict(env_prefix="OMS_ANOMALY_DELAY_", extra="ignore")
    threshold: float = 0.5
    critical: float = 0.8


def delay_findings(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> list[Finding]:
    """Score the open shipments afresh (oms.services.delay_risk) and return a finding for each at or over
    the threshold whose promise is still ahead (one past it is late already: the SLA check's
    deliver_by_breached); [] without a trained model."""
    settings, now = DelayRiskSettings(), now or datetime.now(UTC)
    risks = score_open_shipments(uow, actor, now)
    flagged = sorted((r for r in risks if r.p_late >= settings.threshold and r.promised_delivery_at > now),
                     key=lambda r: -r.p_late)  # fmt: skip
    if not flagged:
        return []
    with uow.reading():
        zones = {node: ZoneInfo(c.timezone) for node, c in node_cutoffs(uow.conn).items()}
    return [_finding(r, settings, zones[r.node_id]) for r in flagged]


def _finding(risk: ShipmentRisk, settings: DelayRiskSettings, zone: ZoneInfo) -> Finding:
    kind = AlertKind.LATE_DELIVERY_RISK
    return Finding(
        kind=kind,
        severity=Severity.CRITICAL if risk.p_late >= settings.critical else Severity.WARNING,
        dedupe_key=dedupe_key(kind, "shipment", risk.shipment_id),
        subject=AlertSubject(
            order_id=risk.order_id, shipment_id=risk.shipment_id, node_id=risk.node_id, carrier=risk.carrier
        ),
        message=_message(risk, zone),
        score=risk.p_late,
        contributions=risk.contributions,
        details={
            "p_late": round(risk.p_late, 4),
            "model_version": risk.model_version,
            "region": risk.region,
            "promised_delivery_at": risk.promised_delivery_at.isoformat(),
        },
    )


def _message(risk: ShipmentRisk, zone: ZoneInfo) -> str:
    # The promise is the end of a day in the node's zone (delay_history): named as that day, not UTC's.
    promised = risk.promised_delivery_at.astimezone(zone).strftime("%-d %b")
    return (f"Shipment {risk.shipment_id} ({risk.carrier} from {risk.node_id} to {risk.region}) is "
            f"{risk.p_late:.0%} likely to arrive after {promised}")  # fmt: skip
