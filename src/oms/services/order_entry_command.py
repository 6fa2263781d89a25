"""A draft as the order capture command it submits, and what capture would refuse in it now: the same
pydantic validation and the same checks against the database (oms.services.order_capture.check_capture),
with every problem's path in the draft's terms (document_number, customer.email, lines.2.sku, ...)."""

from pydantic import ValidationError
from sqlalchemy import Connection

from oms.services.errors import FieldError, ValidationFailed
from oms.services.order_capture import check_capture
from oms.services.order_entry_models import DraftContent
from oms.services.order_models import CustomerIn, LineIn, OrderCreate

_DRAFT_NAMES = {"external_id": "document_number"}  # the command's field -> the draft's, where they differ


def draft_command(content: DraftContent, channel: str) -> OrderCreate:
    """The capture command of `content` on `channel`; ValidationFailed (draft paths) when it is not one."""
    try:
        return OrderCreate.model_validate(_command_body(content, channel))
    except ValidationError as invalid:
        raise ValidationFailed([_field_error(error) for error in invalid.errors()]) from None


def draft_problems(conn: Connection, content: DraftContent, channel: str | None) -> list[dict]:
    """What capture would refuse now, as {path, message, code}: the command's validation, then capture's
    checks (unknown channel or SKU, an order already captured under the document number). With no
    channel, the channel is not checked. Writes nothing."""
    try:
        errors, cmd = [], draft_command(content, channel or "")
    except ValidationFailed as refused:
        errors, cmd = refused.errors, _unchecked_command(content, channel or "")
    found = {error.path for error in errors}
    checked = [FieldError(_draft_path(e.path), e.message, e.code) for e in check_capture(conn, cmd)]
    errors += [error for error in checked if error.path not in found]
    if channel is None:
        errors = [error for error in errors if error.path[:1] != ("channel",)]
    return [{"path": list(e.path), "message": e.message, "code": e.code} for e in errors]


def _command_body(content: DraftContent, channel: str) -> dict:
    wanted = content.requested_delivery_date
    return {
        "channel": channel,
        "external_id": content.document_number,
        "customer": {"name": content.customer.name, "email": content.customer.email},
        "ship_to": content.ship_to.model_dump(exclude_none=True),
        "currency": content.currency,
        "lines": [{"sku": line.sku, "quantity": line.quantity, "unit_price": line.unit_price}
                  for line in content.lines],
        "notes": f"Requested delivery date: {wanted.isoformat()}" if wanted else None,
    }  # fmt: skip


def _unchecked_command(content: DraftContent, channel: str) -> OrderCreate:
    """Enough of an invalid draft's command for capture's checks: its channel, document number, customer
    email and SKUs (a line without one as ''), so they are checked as well."""
    return OrderCreate.model_construct(
        channel=channel, external_id=content.document_number or "", service_level="standard",
        pickup_node_id=None, customer=CustomerIn.model_construct(email=content.customer.email or ""),
        lines=[LineIn.model_construct(sku=(line.sku or "").strip()) for line in content.lines],
    )  # fmt: skip


def _field_error(error: dict) -> FieldError:
    path = _draft_path(tuple(error["loc"]))
    if error["type"] == "missing" or error.get("input") is None:
        return FieldError(path, "missing", "missing")
    return FieldError(path, error["msg"].removeprefix("Value error, "), error["type"])


def _draft_path(path: tuple) -> tuple:
    if not path:
        return path
    return (_DRAFT_NAMES.get(path[0], path[0]), *path[1:])
