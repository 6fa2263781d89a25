"""The SLA attainment report."""

from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.sla_report import SlaReport, SlaReportQuery, sla_report

router = APIRouter(prefix="/sla", tags=["sla"])


@router.get("/report", responses=problem_responses(422))
def read_sla_report(query: Annotated[SlaReportQuery, Query()], actor: ActorDep, uow: UowDep) -> SlaReport:
    """Per node: fulfilment orders due to ship in the period (by ship-by date), shipped on time, late,
    still open past ship-by, attainment, and hours from release to shipment (median, p90). Per carrier:
    parcels due to land in the period (by deliver-by date), delivered on time, late, overdue, returned,
    with exceptions, attainment, and days in transit (median, p90). `carrier` limits the carrier part."""
    return sla_report(uow, actor, query)
