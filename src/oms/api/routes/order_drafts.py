"""Order entry: a PDF purchase order or invoice uploaded becomes a draft that staff check, correct and submit;
only submitting creates an order. The upload is read as the bulk import's is (its declared length checked
before a byte is read)."""

from functools import cache
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import MEDIA_TYPE, Problem, problem_responses
from oms.api.responses import view_response
from oms.api.routes.order_imports import upload_length_checked
from oms.services.actor import Actor
from oms.services.errors import ServiceError
from oms.services.order_drafts import create_draft, discard_draft, draft_page_png, get_draft
from oms.services.order_drafts_edit import edit_draft, submit_draft
from oms.services.order_drafts_queries import OrderDraftPage, list_drafts
from oms.services.order_entry_models import (
    MAX_DOCUMENT_BYTES,
    DraftEdit,
    DraftStatus,
    DraftSubmit,
    DraftUpload,
    OrderDraftPublic,
)
from oms.services.order_models import OrderPublic
from oms.services.uow import UnitOfWork
from oms.settings import get_settings

router = APIRouter(prefix="/order-drafts", tags=["order-entry"])
DRAFT = "/api/v1/order-drafts/{}"
UPLOAD = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file", "channel"],
        "properties": {"file": {"type": "string", "format": "binary", "description": "A PDF document"},
                       **DraftUpload.model_json_schema()["properties"]},
    }}},
}  # fmt: skip


class ModelSettingsIncomplete(ServiceError):
    status, title, type_slug = 503, "The language model's settings are incomplete", "llm-settings"


@cache
def refiner():
    """The LLM pass over hard layouts when a model is configured (None otherwise); built once."""
    from agents.order_entry import configured_refiner  # agents import the services: only when first asked

    try:
        return configured_refiner(get_settings())
    except ValueError as incomplete:  # agents.llm.LlmSettingsError: it says what to set
        raise ModelSettingsIncomplete(str(incomplete)) from incomplete


def read_draft(uow: UnitOfWork, actor: Actor, cmd: DraftUpload, content: bytes, file_name: str):
    """create_draft with the refiner, in the thread pool (the first call imports the agents)."""
    return create_draft(uow, actor, cmd, content, file_name, refiner())


@router.post(
    "",
    status_code=201,
    response_model=OrderDraftPublic,
    openapi_extra={"requestBody": UPLOAD},
    description="Read a PDF purchase order or invoice into a draft: header fields, ship-to and lines resolved"
    " against the catalogue and customers, each with its confidence, and the problems capture would find."
    " Nothing else happens: no order exists until the draft is submitted. The same file again for the same"
    " channel answers its draft (200).",
    responses={
        200: {"model": OrderDraftPublic, "description": "This file was uploaded before: its draft"},
        411: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "No Content-Length"},
        413: {"model": Problem, "content": {MEDIA_TYPE: {}},
              "description": f"A file over {MAX_DOCUMENT_BYTES:,} bytes"},
        503: {"model": Problem, "content": {MEDIA_TYPE: {}},
              "description": "A language model is configured, but not completely: the detail says what to set"},
        **problem_responses(403, 422),
    },
)  # fmt: skip
async def upload_document(request: Request, actor: ActorDep, uow: UowDep) -> Response:
    content, cmd, file_name = await read_document(request)
    draft, created = await run_in_threadpool(read_draft, uow, actor, cmd, content, file_name)
    answer = view_response(draft, 201 if created else 200)
    answer.headers["Location"] = DRAFT.format(draft.id)
    return answer


async def read_document(request: Request) -> tuple[bytes, DraftUpload, str]:
    """The file's bytes, the upload command of the form's channel, and the file's name."""
    await upload_length_checked(request)
    async with request.form(max_files=1, max_fields=1) as form:
        upload = form.get("file")
        errors = [] if isinstance(upload, UploadFile) else [
            {"type": "missing", "loc": ("body", "file"), "msg": "Field required", "input": None}
        ]  # fmt: skip
        try:
            cmd = DraftUpload(channel=form.get("channel") or "")
        except ValidationError as invalid:
            errors += [{**e, "loc": ("body", *e["loc"])} for e in invalid.errors()]
        if errors:
            raise RequestValidationError(errors)
        return await upload.read(), cmd, upload.filename or ""


@router.get("", response_model=OrderDraftPage, responses=problem_responses(403, 422))
def list_order_drafts(actor: ActorDep, uow: UowDep, status: DraftStatus | None = None,
                      limit: Annotated[int, Query(ge=1, le=200)] = 50,
                      cursor: str | None = None) -> Response:  # fmt: skip
    """Drafts newest first; `next_cursor` pages on."""
    return view_response(list_drafts(uow, actor, status, limit, cursor))


@router.get("/{draft_id}", response_model=OrderDraftPublic, responses=problem_responses(403, 404))
def read_order_draft(draft_id: int, actor: ActorDep, uow: UowDep) -> Response:
    return view_response(get_draft(uow, actor, draft_id))


@router.put("/{draft_id}", response_model=OrderDraftPublic, responses=problem_responses(403, 404, 409, 422))
def edit_order_draft(draft_id: int, edit: DraftEdit, actor: ActorDep, uow: UowDep) -> Response:
    """Staff's corrections, every field sent whole; the problems are found again as capture would."""
    return view_response(edit_draft(uow, actor, draft_id, edit))


@router.post("/{draft_id}/submit", status_code=201, response_model=OrderPublic,
             responses=problem_responses(403, 404, 409, 422))  # fmt: skip
def submit_order_draft(draft_id: int, cmd: DraftSubmit, actor: ActorDep, uow: UowDep) -> Response:
    """Capture the order the draft describes (refused with its problems while it has any)."""
    order = submit_draft(uow, actor, draft_id, cmd)
    answer = view_response(order, 201)
    answer.headers["Location"] = f"/api/v1/orders/{order.id}"
    return answer


@router.post(
    "/{draft_id}/discard", response_model=OrderDraftPublic, responses=problem_responses(403, 404, 409)
)
def discard_order_draft(draft_id: int, cmd: DraftSubmit, actor: ActorDep, uow: UowDep) -> Response:
    """Set the draft aside (the version read, as for submitting): no order is made from it."""
    return view_response(discard_draft(uow, actor, draft_id, cmd.expected_version))


@router.get(
    "/{draft_id}/pages/{page}.png",
    response_class=Response,
    responses={
        200: {"content": {"image/png": {}}, "description": "The page as an image"},
        **problem_responses(403, 404),
    },
)
def page_image(draft_id: int, page: int, actor: ActorDep, uow: UowDep,
               width: Annotated[int, Query(ge=100, le=2000)] = 900) -> Response:  # fmt: skip
    """A page of the draft's document (1-based) as a PNG image."""
    image = draft_page_png(uow, actor, draft_id, page, width)
    return Response(image, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})
