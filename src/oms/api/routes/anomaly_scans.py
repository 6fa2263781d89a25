"""Anomaly scans: the latest with their digests, and running one now (the worker runs one every
OMS_ANOMALY_SCAN_MINUTES anyway)."""

from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.anomaly_scan_models import ScanPublic
from oms.services.anomaly_scan_queries import latest_scans

router = APIRouter(prefix="/anomalies/scans", tags=["anomalies"])


@router.get("", responses=problem_responses(403, 422))
def read_scans(
    actor: ActorDep, uow: UowDep, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> list[ScanPublic]:
    """The latest scans, newest first: what each raised and resolved, its figures and its digest."""
    return latest_scans(uow, actor, limit)


@router.post("", status_code=201, responses=problem_responses(403))
def scan_now(actor: ActorDep, uow: UowDep) -> ScanPublic:
    """Run every check now as the caller (alerts:manage), raise what is new, resolve what cleared, and
    return the scan with its digest (by the configured language model, or from the template)."""
    from agents.anomaly import run_scan  # the agent loads LangGraph: only when a scan is asked for
    from agents.anomaly_run import DIGEST
    from agents.model_text import writer_model

    return run_scan(uow, actor, writer_model(DIGEST)).scan
