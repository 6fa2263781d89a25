"""Signing in (with a user account or an API key) and out. The session remembers who signed in; each
request then turns that back into an Actor (oms.services.users.session_actor)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from oms.services.actor import Permission
from oms.services.errors import Unauthorized
from oms.services.uow import UnitOfWork
from oms.services.users import Principal, session_actor, sign_in_key, sign_in_user
from oms.web.console import ConsoleRoute, CsrfChecked, render
from oms.web.session import load_session

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


def _local(target: str | None) -> str:
    """Where to go after signing in: a path of this site only (never //elsewhere)."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/sign-in")
def sign_in_page(request: Request, next: str | None = None):
    load_session(request)  # an anonymous session: its CSRF token goes in the forms
    return render(request, "sign_in.html", {"next": _local(next)})


@router.post("/sign-in", dependencies=[CsrfChecked])
def sign_in(
    request: Request,
    name: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
    api_key: Annotated[str | None, Form()] = None,
    next: Annotated[str | None, Form()] = None,
):
    uow = UnitOfWork(request.app.state.engine)
    context = {"next": _local(next), "name": name, "key_tried": bool(api_key)}
    try:
        principal = sign_in_key(uow, api_key.strip()) if api_key else sign_in_user(uow, name or "", password or "")
    except Unauthorized as error:
        return render(request, "sign_in.html", context | {"error": f"Not signed in: {error.detail}."}, 401)
    if not _may_use_console(uow, principal):
        error = "This key's role has no pages in the console (it is for a system: a WMS or a carrier)."
        return render(request, "sign_in.html", context | {"error": error}, 403)
    load_session(request).sign_in(principal)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out(request: Request):
    load_session(request).sign_out()
    return RedirectResponse("/sign-in", status_code=303)


def _may_use_console(uow: UnitOfWork, principal: Principal) -> bool:
    actor = session_actor(uow, principal)
    return actor is not None and actor.can(Permission.ORDER_READ)
