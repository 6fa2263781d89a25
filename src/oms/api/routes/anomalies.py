"""Anomalies: the delay risk of open shipments per node or carrier (the manager page's charts)."""

from fastapi import APIRouter

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.delay_risk_views import DelayRiskPublic, RiskGrouping, delay_risk_by

router = APIRouter(prefix="/anomalies", tags=["anomalies"])


@router.get("/delay-risk", responses=problem_responses(403, 422))
def read_delay_risk(actor: ActorDep, uow: UowDep, by: RiskGrouping = RiskGrouping.NODE) -> DelayRiskPublic:
    """Per node (or carrier) of the open shipments last scored: how many, mean and highest P(late), and
    how many at or over the alert threshold, riskiest first."""
    return delay_risk_by(uow, actor, by)
