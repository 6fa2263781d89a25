"""Bulk order imports in the background: the file uploaded as for POST /orders/imports, answered 202 at
once with the run, whose progress and report GET /orders/import-runs/{id} shows as the worker goes."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import MEDIA_TYPE, Problem, problem_responses
from oms.api.responses import view_response
from oms.api.routes.order_imports import UPLOAD, read_upload
from oms.channels.bulk.columns import FILE_FORMAT
from oms.services.import_run_models import ImportRunList, ImportRunView
from oms.services.import_runs import (
    MAX_OPEN_RUNS,
    RECENT,
    import_run_view,
    recent_import_runs,
    start_import_run,
)
from oms.services.order_imports_models import MAX_FILE_BYTES

router = APIRouter(prefix="/orders/import-runs", tags=["orders"])
RUN = "/api/v1/orders/import-runs/{}"


@router.post(
    "",
    status_code=202,
    response_model=ImportRunView,
    openapi_extra={"requestBody": UPLOAD},
    description=f"Queue the import of a B2B file, CSV or XLSX, run in the background. {FILE_FORMAT} Answers"
    " 202 with the run (Location: the run) once permission, channel and size are checked; the worker then"
    " checks and imports the file as POST /orders/imports does, and the run shows its rows done, then its"
    " report. The same file again ends with the first outcome (`report.already_imported`); sent again while its"
    " run is open, it is answered with that run.",
    responses={
        411: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "No Content-Length"},
        413: {"model": Problem, "content": {MEDIA_TYPE: {}},
              "description": f"A file over {MAX_FILE_BYTES:,} bytes"},
        429: {"model": Problem, "content": {MEDIA_TYPE: {}},
              "description": f"{MAX_OPEN_RUNS} runs of the same key or user are open: wait for one to end"},
        **problem_responses(403, 422),
    },
)  # fmt: skip
async def queue_import(request: Request, actor: ActorDep, uow: UowDep) -> Response:
    content, cmd, file_name = await read_upload(request)
    run = await run_in_threadpool(start_import_run, uow, actor, cmd, file_name, content)
    answer = view_response(run, 202)
    answer.headers["Location"] = RUN.format(run.id)
    return answer


@router.get("", response_model=ImportRunList, responses=problem_responses(403))
def list_import_runs(actor: ActorDep, uow: UowDep,
                     limit: Annotated[int, Query(ge=1, le=100)] = RECENT) -> Response:  # fmt: skip
    """The most recent runs first (a channel key: its channel's only)."""
    return view_response(recent_import_runs(uow, actor, limit))


@router.get("/{run_id}", response_model=ImportRunView, responses=problem_responses(403, 404))
def get_import_run(run_id: int, actor: ActorDep, uow: UowDep) -> Response:
    """A run: its status and rows done while it runs, its report once it has ended."""
    return view_response(import_run_view(uow, actor, run_id))
