"""What a desk may do to an order from its page, each behind a confirmation: hold, release the hold,
cancel, edit the delivery address, reroute, create a return. A button shows only for a role that has the
permission and an order in a status that allows it; the service checks both again, and its refusal
(a 409 when the order moved on, a 422 for a bad form) is shown on the confirmation page.

A confirmation carries the version of the order it showed: if the order moved on before it is posted,
nothing is done and the page shows the order as it is now, to review again (the services check the
version under the order's lock). A return's confirmation also carries a one-time key, its external_id,
so a second click authorises nothing more (returns are idempotent on it)."""

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from starlette.datastructures import FormData

from oms.domain.errors import DomainError
from oms.domain.order_status import ALLOWED_FROM, HoldType
from oms.domain.returns import ReasonCode, Resolution
from oms.services import order_actions
from oms.services.actor import Permission
from oms.services.errors import FieldError, NotFound, ServiceError, ValidationFailed
from oms.services.order_actions import OrderMovedOn
from oms.services.order_models import Address, HoldCommand, OrderEdit, OrderPublic, ReasonCommand
from oms.services.order_queries import get_order
from oms.services.reroute_models import RerouteCommand, RerouteReason
from oms.services.return_models import ReturnCreate
from oms.services.returns import create_return
from oms.web.console import Console, ConsoleDep, ConsoleRoute, CsrfChecked, FormDep, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
Run = Callable[[Console, OrderPublic, FormData], object]
STALE = "Not done: the order changed since you reviewed it. It is shown as it is now: review it again, then confirm."
_KEY = re.compile(r"[\w-]{16,40}")


@dataclass(frozen=True)
class OrderAction:
    slug: str
    label: str
    permission: Permission
    allowed: Callable[[OrderPublic], bool]
    run: Run
    done: str  # said on the order's page once done
    danger: bool = False


def _in_status(state_action: str) -> Callable[[OrderPublic], bool]:
    return lambda order: order.status in ALLOWED_FROM[state_action]


def _reason(form: FormData) -> str | None:
    return str(form.get("reason") or "").strip() or None


def _hold(console: Console, order: OrderPublic, form: FormData):
    cmd = HoldCommand(type=form.get("type") or HoldType.MANUAL, reason=form.get("reason") or "")
    return order_actions.hold(console.uow, console.actor, order.id, cmd, expected_version=order.version)


def _release_hold(console: Console, order: OrderPublic, form: FormData):
    cmd = ReasonCommand(reason=_reason(form))
    return order_actions.release_hold(console.uow, console.actor, order.id, cmd, expected_version=order.version)


def _cancel(console: Console, order: OrderPublic, form: FormData):
    cmd = ReasonCommand(reason=_reason(form))
    return order_actions.cancel(console.uow, console.actor, order.id, cmd, expected_version=order.version)


_ADDRESS_FIELDS = ("name", "line1", "line2", "postal_code", "city", "country", "phone")


def _edit_address(console: Console, order: OrderPublic, form: FormData):
    address = Address(**{k: form.get(k) or None for k in _ADDRESS_FIELDS})
    cmd = OrderEdit(expected_version=order.version, ship_to=address)
    return order_actions.edit(console.uow, console.actor, order.id, cmd)


def _reroute(console: Console, order: OrderPublic, form: FormData):
    cmd = RerouteCommand(reason=RerouteReason.MANUAL, note=form.get("note") or "",
                         exclude_nodes=form.getlist("exclude_nodes"))  # fmt: skip
    return order_actions.reroute(console.uow, console.actor, order.id, cmd, expected_version=order.version)


def _create_return(console: Console, order: OrderPublic, form: FormData):
    # A line left at 0 is not returned; any other value, a number or not, is the command's to judge.
    lines = [{"line_no": line.line_no, "quantity": quantity, "reason_code": form.get(f"reason_{line.line_no}")}
             for line in order.lines if (quantity := str(form.get(f"quantity_{line.line_no}") or "").strip())
             not in ("", "0")]  # fmt: skip
    cmd = ReturnCreate(order_id=order.id, lines=lines, resolution=form.get("resolution") or Resolution.REFUND,
                       external_id=_return_key(form))  # fmt: skip
    return create_return(console.uow, console.actor, cmd)


def _return_key(form: FormData) -> str:
    """The confirmation's one-time key as the return's reference: a second click finds the RMA it made."""
    key = str(form.get("confirmation") or "")
    if not _KEY.fullmatch(key):
        raise ValidationFailed([FieldError(("confirmation",), "this form is incomplete: reload the page", "required")])
    return f"console-{key}"


def _delivered(order: OrderPublic) -> bool:
    return any(line.delivered_quantity for line in order.lines)


ACTIONS = {a.slug: a for a in (
    OrderAction("hold", "Put on hold", Permission.ORDER_HOLD, _in_status("hold"), _hold, "The order is on hold."),
    OrderAction("release-hold", "Release the hold", Permission.ORDER_HOLD, _in_status("release_hold"),
                _release_hold, "The hold is released."),
    OrderAction("edit-address", "Edit the address", Permission.ORDER_EDIT, _in_status("edit"), _edit_address,
                "The delivery address is changed."),
    OrderAction("reroute", "Reroute", Permission.ORDER_REROUTE, _in_status("reroute"), _reroute,
                "The order is rerouted."),
    OrderAction("return", "Create a return", Permission.RETURNS_MANAGE, _delivered, _create_return,
                "The return is authorised."),
    OrderAction("cancel", "Cancel the order", Permission.ORDER_CANCEL, _in_status("cancel"), _cancel,
                "The order is cancelled.", danger=True),
)}  # fmt: skip
DONE_MESSAGES = {slug: action.done for slug, action in ACTIONS.items()}


def available_actions(console: Console, order: OrderPublic) -> list[OrderAction]:
    return [a for a in ACTIONS.values() if console.actor.can(a.permission) and a.allowed(order)]


def _action(slug: str) -> OrderAction:
    if slug not in ACTIONS:
        raise NotFound(f"no action '{slug}' on orders")
    return ACTIONS[slug]


def _confirm(request: Request, console: Console, action: OrderAction, order: OrderPublic, status: int = 200,
             error: str | None = None, form: FormData | None = None):  # fmt: skip
    context = {"console": console, "action": action, "order": order, "error": error, "form": form or {},
               "confirmation": secrets.token_urlsafe(16), "hold_types": list(HoldType),
               "reason_codes": list(ReasonCode), "resolutions": [Resolution.REFUND, Resolution.STORE_CREDIT]}  # fmt: skip
    return render(request, "order_action.html", context, status_code=status)


@router.get("/orders/{order_id}/actions/{slug}")
def confirm_action(request: Request, order_id: int, slug: str, console: ConsoleDep):
    action = _action(slug)
    console.actor.require(action.permission)
    return _confirm(request, console, action, get_order(console.uow, console.actor, order_id))


@router.post("/orders/{order_id}/actions/{slug}", dependencies=[CsrfChecked])
def run_action(request: Request, order_id: int, slug: str, console: ConsoleDep, form: FormDep):
    action = _action(slug)
    console.actor.require(action.permission)
    order = get_order(console.uow, console.actor, order_id)
    if str(order.version) != form.get("version"):
        return _confirm(request, console, action, order, 409, STALE, form)
    try:
        action.run(console, order, form)
    except ValidationError as error:
        messages = "; ".join(_field_message(e) for e in error.errors())
        return _confirm(request, console, action, order, 422, f"Some values are not valid: {messages}.", form)
    except OrderMovedOn:
        return _confirm(request, console, action, get_order(console.uow, console.actor, order_id), 409, STALE, form)
    except ServiceError as error:
        return _confirm(request, console, action, order, error.status, _refusal(error.status, error.detail), form)
    except DomainError as error:
        return _confirm(request, console, action, order, 409, _refusal(409, str(error)), form)
    return RedirectResponse(f"/orders/{order_id}?done={slug}", status_code=303)


def _field_message(error: dict) -> str:
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {error['msg']}" if where else error["msg"]


def _refusal(status: int, detail: str) -> str:
    hint = {403: "Your role may not do this.", 404: "The order is gone or not yours to see.",
            409: "The order changed since this page was shown: reload it and check."}.get(status, "")  # fmt: skip
    return f"Not done: {detail}. {hint}".strip()

