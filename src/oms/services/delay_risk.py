"""P(late) of every open shipment by the latest delay model, kept in shipment_risks with the model
version and the three features that pushed it up most, and the findings of those likely to be late.

Open: handed over to the carrier and not delivered (oms.services.delay_history.OPEN_STATUSES)."""

from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import text

from oms.db.engine import dumps_json
from oms.ml.delay_features import region
from oms.ml.delay_rows import ShipmentRecord
from oms.services.actor import Actor, Permission
from oms.services.anomaly_models import Contribution
from oms.services.delay_history import load_context, open_records
from oms.services.delay_models_store import latest_in
from oms.services.uow import UnitOfWork

TOP_REASONS = 3

_UPSERT = text(
    """
    INSERT INTO shipment_risks (shipment_id, p_late, model_version, contributions, scored_at)
    SELECT r.shipment_id, r.p_late, :version, r.contributions, :at
    FROM jsonb_to_recordset(CAST(:risks AS jsonb)) AS r(shipment_id bigint, p_late float8, contributions jsonb)
    ON CONFLICT (shipment_id) DO UPDATE SET p_late = excluded.p_late, model_version = excluded.model_version,
      contributions = excluded.contributions, scored_at = excluded.scored_at
    """
)
_FORGET_CLOSED = text("DELETE FROM shipment_risks WHERE NOT (shipment_id = ANY(CAST(:ids AS bigint[])))")


class ShipmentRisk(BaseModel):
    shipment_id: int
    order_id: int
    node_id: str
    carrier: str
    region: str
    promised_delivery_at: datetime
    p_late: float
    model_version: int
    contributions: list[Contribution]


def score_open_shipments(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> list[ShipmentRisk]:
    """Score every open shipment with the latest model and replace shipment_risks with the result (the
    rows of shipments no longer open go); [] and nothing written before a model is trained."""
    actor.require(Permission.ALERTS_MANAGE)
    now = now or datetime.now(UTC)
    with uow.reading():
        latest = latest_in(uow.conn)
        if latest is None:
            return []
        shipments = open_records(uow.conn)
        context = load_context(uow.conn, shipments)
    info, model = latest
    p_late = model.predict(shipments, context=context)
    reasons = model.explain(shipments, TOP_REASONS, context=context)
    risks = [
        _risk(r, float(p), why, info.version) for r, p, why in zip(shipments, p_late, reasons, strict=True)
    ]
    with uow:
        _save(uow, risks, info.version, now)
        uow.commit()
    return risks


def _risk(record: ShipmentRecord, p_late: float, reasons: list, version: int) -> ShipmentRisk:
    return ShipmentRisk(
        shipment_id=int(record.shipment_id), order_id=int(record.order_id), node_id=record.node_id,
        carrier=record.carrier, region=region(record), promised_delivery_at=record.promised_delivery_at,
        p_late=min(max(p_late, 0.0), 1.0), model_version=version,
        contributions=[Contribution(feature=f, value=v, effect=round(e, 4)) for f, v, e in reasons],
    )  # fmt: skip


def _save(uow: UnitOfWork, risks: list[ShipmentRisk], version: int, at: datetime) -> None:
    rows = [r.model_dump(mode="json", include={"shipment_id", "p_late", "contributions"}) for r in risks]
    if rows:
        uow.conn.execute(_UPSERT, {"risks": dumps_json(rows), "version": version, "at": at})
    uow.conn.execute(_FORGET_CLOSED, {"ids": [r.shipment_id for r in risks]})
