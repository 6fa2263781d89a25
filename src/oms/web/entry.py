"""Order entry: staff drop a customer's PDF purchase order and get a draft to check beside the document's
pages, correct and submit. The upload is read as the API reads it (oms.api.routes.order_drafts) and
every change goes through oms.services.order_drafts with the signed-in actor; a role that may not capture
orders sees the drafts without a form, and the services refuse anyway."""

from fastapi import APIRouter, Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from oms.api.routes.order_drafts import read_document, read_draft
from oms.api.routes.order_imports import upload_length_checked
from oms.services.actor import Permission
from oms.services.errors import Conflict, ValidationFailed
from oms.services.import_runs import import_channels
from oms.services.order_drafts import discard_draft, draft_page_png, get_draft
from oms.services.order_drafts_edit import edit_draft, submit_draft
from oms.services.order_drafts_queries import list_drafts
from oms.services.order_entry_models import DraftSubmit
from oms.web.console import Console, ConsoleDep, ConsoleRoute, CsrfChecked, FormDep, render
from oms.web.entry_form import LOW_CONFIDENCE, edit_of, version_of

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
PAGE_WIDTH = 900  # pixels: the page image beside the form


@router.get("/entry")
def entry_page(request: Request, console: ConsoleDep):
    return _entry_page(request, console)


@router.post("/entry", dependencies=[Depends(upload_length_checked), CsrfChecked])
async def upload(request: Request, console: ConsoleDep):
    try:
        content, cmd, file_name = await read_document(request)
        draft, _ = await run_in_threadpool(read_draft, console.uow, console.actor, cmd, content, file_name)
    except ValidationFailed as refused:  # no readable PDF, an unknown channel: say so, nothing was stored
        return await run_in_threadpool(_entry_page, request, console, refused.detail, refused.status)
    except RequestValidationError as invalid:  # no file chosen
        detail = "; ".join(f"{e['loc'][-1]}: {e['msg']}" for e in invalid.errors())
        return await run_in_threadpool(_entry_page, request, console, detail, 422)
    return RedirectResponse(f"/entry/{draft.id}", status_code=303)


def _entry_page(request: Request, console: Console, error: str | None = None, status: int = 200):
    channels = import_channels(console.uow, console.actor) if console.can(Permission.ORDER_CAPTURE) else []
    drafts = list_drafts(console.uow, console.actor, status="draft").items
    recent = list_drafts(console.uow, console.actor, status="submitted", limit=10).items
    context = {"console": console, "channels": channels, "error": error, "drafts": drafts, "recent": recent}
    return render(request, "entry.html", context, status_code=status)


@router.get("/entry/{draft_id}")
def draft_page(request: Request, draft_id: int, console: ConsoleDep):
    return _draft_page(request, console, draft_id)


@router.get("/entry/{draft_id}/pages/{page}.png")
def page_image(draft_id: int, page: int, console: ConsoleDep):
    image = draft_page_png(console.uow, console.actor, draft_id, page, PAGE_WIDTH)
    return Response(image, media_type="image/png")


@router.post("/entry/{draft_id}", dependencies=[CsrfChecked])
def save(request: Request, draft_id: int, console: ConsoleDep, form: FormDep):
    """Save staff's corrections; the page shows the draft again with what the dry run finds now."""
    return _changed(request, console, draft_id, lambda: _save(console, draft_id, form), "saved")


@router.post("/entry/{draft_id}/submit", dependencies=[CsrfChecked])
def submit(request: Request, draft_id: int, console: ConsoleDep, form: FormDep):
    """Save the form as it is, then submit it: the order is captured, or the page says what stops it."""

    def save_and_submit():
        saved = _save(console, draft_id, form)
        submit_draft(console.uow, console.actor, draft_id, DraftSubmit(expected_version=saved.version))

    return _changed(request, console, draft_id, save_and_submit, "submitted")


@router.post("/entry/{draft_id}/discard", dependencies=[CsrfChecked])
def discard(request: Request, draft_id: int, console: ConsoleDep, form: FormDep):
    def discard_it():
        discard_draft(console.uow, console.actor, draft_id, version_of(form).expected_version)

    return _changed(request, console, draft_id, discard_it, "discarded")


def _save(console: Console, draft_id: int, form):
    return edit_draft(console.uow, console.actor, draft_id, edit_of(form))


def _changed(request: Request, console: Console, draft_id: int, change, done: str):
    """Run `change`; then the draft's page, with what went wrong when it was refused."""
    try:
        change()
    except ValidationError as invalid:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in invalid.errors())
        return _draft_page(request, console, draft_id, detail, 422)
    except (ValidationFailed, Conflict) as refused:
        return _draft_page(request, console, draft_id, refused.detail, refused.status)
    return RedirectResponse(f"/entry/{draft_id}?done={done}", status_code=303)


def _draft_page(
    request: Request, console: Console, draft_id: int, error: str | None = None, status: int = 200
):
    draft = get_draft(console.uow, console.actor, draft_id)
    editable = draft.status == "draft" and console.can(Permission.ORDER_CAPTURE)
    context = {"console": console, "draft": draft, "error": error, "editable": editable,
               "done": request.query_params.get("done"), "low": LOW_CONFIDENCE}  # fmt: skip
    return render(request, "entry_draft.html", context, status_code=status)
