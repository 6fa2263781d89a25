"""Imports: a B2B order file uploaded to run in the background, the recent runs, and one run's page whose
progress bar htmx refreshes every second until the run ends, then its report. The upload is read as the
API reads it (oms.api.routes.order_imports) and queued through oms.services.import_runs with the
signed-in actor; a role that may not capture orders sees no form, and the service refuses anyway."""

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse

from oms.api.routes.order_imports import read_upload, upload_length_checked
from oms.channels.bulk.columns import FILE_FORMAT
from oms.services.actor import Permission
from oms.services.errors import ValidationFailed
from oms.services.import_runs import (
    TooManyOpenRuns,
    import_channels,
    import_run_view,
    recent_import_runs,
    start_import_run,
)
from oms.web.console import Console, ConsoleDep, ConsoleRoute, CsrfChecked, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
SHOWN_ORDERS = 500  # a run's page links this many imported orders; the rest are in the orders list


@router.get("/imports")
def imports_page(request: Request, console: ConsoleDep):
    return _imports_page(request, console)


@router.post("/imports", dependencies=[Depends(upload_length_checked), CsrfChecked])
async def start_import(request: Request, console: ConsoleDep):
    try:
        content, cmd, file_name = await read_upload(request)
        run = await run_in_threadpool(start_import_run, console.uow, console.actor, cmd, file_name, content)
    except (ValidationFailed, TooManyOpenRuns) as invalid:  # an empty file, too many running: say so
        return await run_in_threadpool(_imports_page, request, console, invalid.detail, invalid.status)
    except RequestValidationError as invalid:  # no file chosen, a sheet name too long
        detail = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in invalid.errors())
        return await run_in_threadpool(_imports_page, request, console, detail, 422)
    return RedirectResponse(f"/imports/{run.id}", status_code=303)


@router.get("/imports/{run_id}")
def run_page(request: Request, run_id: int, console: ConsoleDep):
    """The run; htmx's refresh asks for its status alone (a fragment that stops asking once it ends)."""
    run = import_run_view(console.uow, console.actor, run_id)
    partial = "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers
    context = {"console": console, "run": run, "shown_orders": SHOWN_ORDERS}
    return render(request, "import_run_status.html" if partial else "import_run.html", context)


def _imports_page(request: Request, console: Console, error: str | None = None, status: int = 200):
    channels = import_channels(console.uow, console.actor) if console.can(Permission.ORDER_CAPTURE) else []
    context = {"console": console, "runs": recent_import_runs(console.uow, console.actor).items,
               "channels": channels, "error": error, "file_format": FILE_FORMAT}  # fmt: skip
    return render(request, "imports.html", context, status_code=status)
