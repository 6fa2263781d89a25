"""Delay risk of the open shipments per node or per carrier, from the latest scores (shipment_risks): the
manager page's charts and GET /api/v1/anomalies/delay-risk."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field
from sqlalchemy import text

from oms.services.actor import Actor, Permission
from oms.services.delay_risk_findings import DelayRiskSettings
from oms.services.uow import UnitOfWork


class RiskGrouping(StrEnum):
    NODE = "node"
    CARRIER = "carrier"


_COLUMN = {RiskGrouping.NODE: "s.node_id", RiskGrouping.CARRIER: "s.carrier"}
_GROUPS = {
    by: text(
        f"""
        SELECT {column} AS key, count(*) AS shipments, avg(r.p_late) AS mean_p_late,
               count(*) FILTER (WHERE r.p_late >= :threshold) AS at_risk, max(r.p_late) AS max_p_late,
               max(r.model_version) AS model_version, max(r.scored_at) AS scored_at
        FROM shipment_risks r JOIN shipments s ON s.id = r.shipment_id
        GROUP BY {column} ORDER BY avg(r.p_late) DESC, {column}
        """
    )
    for by, column in _COLUMN.items()
}


class DelayRiskGroup(BaseModel):
    key: str = Field(description="The node id or the carrier")
    shipments: int = Field(description="Open shipments scored")
    mean_p_late: float
    max_p_late: float
    at_risk: int = Field(description="Open shipments at or over the alert threshold")


class DelayRiskPublic(BaseModel):
    by: RiskGrouping
    threshold: float
    model_version: int | None = Field(description="None before the first scoring")
    scored_at: datetime | None
    groups: list[DelayRiskGroup] = Field(description="Riskiest first")


def delay_risk_by(uow: UnitOfWork, actor: Actor, by: RiskGrouping) -> DelayRiskPublic:
    actor.require(Permission.ALERTS_READ)
    threshold = DelayRiskSettings().threshold
    with uow.reading():
        rows = uow.conn.execute(_GROUPS[by], {"threshold": threshold}).all()
    groups = [DelayRiskGroup.model_validate(dict(r._mapping)) for r in rows]
    return DelayRiskPublic(
        by=by, threshold=threshold, groups=groups,
        model_version=max((r.model_version for r in rows), default=None),
        scored_at=max((r.scored_at for r in rows), default=None),
    )  # fmt: skip
