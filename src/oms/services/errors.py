"""Errors of the domain API. Each maps to one HTTP status and a problem body (RFC 9457)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    path: tuple[str | int, ...]
    message: str
    code: str = "invalid"


class ServiceError(Exception):
    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, errors: list[FieldError] | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []


class Unauthorized(ServiceError):
    status, title, type_slug = 401, "Unauthorized", "unauthorized"


class Forbidden(ServiceError):
    status, title, type_slug = 403, "Forbidden", "forbidden"


class NotFound(ServiceError):
    status, title, type_slug = 404, "Not found", "not-found"


class Conflict(ServiceError):
    status, title, type_slug = 409, "Conflict", "conflict"


class ContentTooLarge(ServiceError):
    status, title, type_slug = 413, "Content too large", "content-too-large"


class ValidationFailed(ServiceError):
    status, title, type_slug = 422, "Validation failed", "validation-failed"

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{'.'.join(map(str, e.path))}: {e.message}" for e in errors), errors)
