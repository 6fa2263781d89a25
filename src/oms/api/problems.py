"""RFC 9457 problem bodies for every error the API returns."""

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException

from oms.domain.errors import DomainError
from oms.services.errors import Conflict, FieldError, ServiceError

PROBLEM_TYPE_BASE = "https://oms.dev/problems/"
# Input that passed validation but not PostgreSQL: a NUL character in text (refused by the driver, no
# SQLSTATE), a value too long for its column, a number out of range (an id past bigint), a character the
# database cannot store. The caller's data, so a 422 rather than a 500; the transaction rolled back.
_BAD_INPUT_SQLSTATES = {None, "22001", "22003", "22021", "22P05"}
_NUL_IN_JSON = "\\u0000 cannot be converted to text"
MEDIA_TYPE = "application/problem+json"


class ProblemFieldError(BaseModel):
    pointer: str
    loc: list[str | int]
    message: str
    code: str


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[ProblemFieldError] = []


def problem_response(status: int, title: str, slug: str, detail: str, request: Request, errors=()) -> JSONResponse:
    body = Problem(
        type=PROBLEM_TYPE_BASE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=list(errors),
    )
    headers = {"WWW-Authenticate": "ApiKey"} if status == 401 else None
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _field_error(loc: tuple, message: str, code: str) -> ProblemFieldError:
    loc = list(loc)
    parts = loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc
    return ProblemFieldError(pointer="/" + "/".join(map(str, parts)), loc=loc, message=message, code=code)


def _from_service_errors(errors: list[FieldError]) -> list[ProblemFieldError]:
    return [_field_error(e.path, e.message, e.code) for e in errors]


def _unstorable(request: Request, exc: Exception, cause: BaseException | None) -> JSONResponse:
    """A value the database cannot store (too long, out of range, a NUL character) is the caller's input
    at fault: 422. Any other data error is a bug: re-raised, a 500."""
    if getattr(cause, "sqlstate", None) not in _BAD_INPUT_SQLSTATES:
        raise exc
    reason = str(cause).splitlines()[0]
    if _NUL_IN_JSON in (getattr(getattr(cause, "diag", None), "message_detail", None) or ""):
        reason = "text cannot contain NUL (\\u0000) characters"  # sent inside JSON, the driver cannot tell
    detail = f"a value cannot be stored: {reason}"
    return problem_response(422, "Validation failed", "validation-failed", detail, request)


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError):
        return problem_response(
            exc.status, exc.title, exc.type_slug, exc.detail, request, _from_service_errors(exc.errors)
        )

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError):
        return problem_response(409, Conflict.title, Conflict.type_slug, str(exc), request)

    @app.exception_handler(DataError)
    async def data_error(request: Request, exc: DataError):
        return _unstorable(request, exc, exc.orig)

    @app.exception_handler(psycopg.DataError)  # from statements run on the driver itself (oms.db.raw)
    async def driver_data_error(request: Request, exc: psycopg.DataError):
        return _unstorable(request, exc, exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = [_field_error(tuple(e["loc"]), e["msg"], e["type"]) for e in exc.errors()]
        detail = "; ".join(f"{err.pointer}: {err.message}" for err in errors)
        return problem_response(422, "Validation failed", "validation-failed", detail, request, errors)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        return problem_response(exc.status_code, str(exc.detail), slug, str(exc.detail), request)


PROBLEM_RESPONSES = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": text}
    for status, text in {
        401: "Missing or invalid API key",
        403: "The key's role may not do this",
        404: "Not found",
        409: "Not allowed in the current state",
        422: "Invalid input; `errors` lists the field paths",
    }.items()
}


def problem_responses(*statuses: int) -> dict:
    """The OpenAPI `responses` of a route that may answer these problem statuses."""
    return {status: PROBLEM_RESPONSES[status] for status in statuses}
