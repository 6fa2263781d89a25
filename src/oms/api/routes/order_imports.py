"""Bulk order import: a CSV or XLSX file of order lines uploaded as multipart form data.

The route reads the form itself, after checking the request's declared length: a file over the limit is
refused with a problem body before a byte of it is read. (A route-level body limit would answer Starlette's
plain-text 413 instead, and form parameters are read before any dependency runs.)
"""

import orjson
from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import MEDIA_TYPE, Problem, ProblemFieldError, problem_response, problem_responses
from oms.api.responses import view_response
from oms.channels.bulk.columns import FILE_FORMAT
from oms.services.errors import ContentTooLarge
from oms.services.order_imports import import_orders
from oms.services.order_imports_models import (
    MAX_FILE_BYTES,
    ImportInterrupted,
    ImportRefused,
    OrderImportCommand,
    OrderImportReport,
)

router = APIRouter(prefix="/orders", tags=["orders"])
MULTIPART_OVERHEAD = 64 * 1024  # the form's other fields and part headers, beside the file itself
FIELDS = tuple(OrderImportCommand.model_fields)
_FILE_SCHEMA = {"type": "string", "format": "binary", "description": "CSV (UTF-8, comma or semicolon), XLSX"}
UPLOAD = {
    "required": True,
    "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file", "channel"],
        "properties": {"file": _FILE_SCHEMA, **OrderImportCommand.model_json_schema()["properties"]},
    }}},
}  # fmt: skip


class ImportProblem(Problem):
    report: OrderImportReport


@router.post(
    "/imports",
    status_code=201,
    response_model=OrderImportReport,
    openapi_extra={"requestBody": UPLOAD},
    description=f"Import the orders of a B2B file, CSV or XLSX. {FILE_FORMAT} Every row is checked before"
    " anything is written: with any error nothing is (422, `report.errors` by row and column), unless"
    " `skip_invalid`: the valid orders go in, the others are reported. The same file again answers 200 with"
    " the first outcome. A channel key imports for its own channel only.",
    responses={
        200: {"model": OrderImportReport, "description": "This file was imported before: the first outcome"},
        409: {"model": ImportProblem, "content": {MEDIA_TYPE: {}},
              "description": "An order changed since the file was checked and capture refused it: the"
                             " import stopped, the orders of `report.imported` went in; the same file again"
                             " finishes it"},
        411: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "No Content-Length"},
        413: {"model": Problem, "content": {MEDIA_TYPE: {}},
              "description": f"A file over {MAX_FILE_BYTES:,} bytes"},
        422: {"model": ImportProblem, "content": {MEDIA_TYPE: {}},
              "description": "Errors by row and column in `report.errors`; nothing was imported"},
        **problem_responses(403),
    },
)  # fmt: skip
async def upload_orders(request: Request, actor: ActorDep, uow: UowDep) -> Response:
    content, cmd, _ = await read_upload(request)
    try:
        report = await run_in_threadpool(import_orders, uow, actor, cmd, content)
    except (ImportRefused, ImportInterrupted) as refused:
        return _refused(request, refused)
    return view_response(report, 200 if report.already_imported else 201)


async def upload_length_checked(request: Request) -> None:
    """Refuse an upload by its declared length, before a byte of it is read (a dependency where the form
    is read before the route runs)."""
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, "Length required: send the file with a Content-Length")
    if int(length) > MAX_FILE_BYTES + MULTIPART_OVERHEAD:
        message = f"the upload has {int(length):,} bytes; at most {MAX_FILE_BYTES:,} are imported"
        raise ContentTooLarge(message)


async def read_upload(request: Request) -> tuple[bytes, OrderImportCommand, str]:
    """The file's bytes, the command of the form's other fields, and the file's name."""
    await upload_length_checked(request)
    async with request.form(max_files=1, max_fields=len(FIELDS)) as form:
        upload = form.get("file")
        errors = [] if isinstance(upload, UploadFile) else [
            {"type": "missing", "loc": ("body", "file"), "msg": "Field required", "input": None}
        ]  # fmt: skip
        given = {f: form[f] for f in FIELDS if form.get(f) not in ("", None)}  # a blank field: not given
        try:
            cmd = OrderImportCommand.model_validate(given)
        except ValidationError as invalid:
            errors += [{**e, "loc": ("body", *e["loc"])} for e in invalid.errors()]
        if errors:
            raise RequestValidationError(errors)
        return await upload.read(), cmd, upload.filename or ""


def _refused(request: Request, refused: ImportRefused | ImportInterrupted) -> JSONResponse:
    """The problem body every refusal has, with the import's report beside its errors."""
    errors = [ProblemFieldError(pointer="/" + "/".join(map(str, e.path)), loc=list(e.path), message=e.message,
                                code=e.code) for e in refused.errors]  # fmt: skip
    status = refused.status
    problem = problem_response(status, refused.title, refused.type_slug, refused.detail, request, errors)
    body = orjson.loads(problem.body) | {"report": refused.report.model_dump(mode="json")}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)
