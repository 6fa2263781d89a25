"""Signing in (with a user account or an API key) and out. Signing in starts a session kept in the
database (oms.services.console_sessions), after the attempt took its turn against the sign-in throttle
(oms.services.sign_in_throttle: 429 with Retry-After once a name or an address has failed too often);
signing out ends it."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from oms.services import console_sessions
from oms.services.actor import Permission
from oms.services.errors import Unauthorized
from oms.services.sign_in_throttle import Attempt, TooManyAttempts, throttled
from oms.services.uow import UnitOfWork
from oms.services.users import session_actor, sign_in_key, sign_in_user
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
    address = request.client.host if request.client else "unknown"
    attempt = Attempt.with_key(api_key, address) if api_key else Attempt.with_name(name or "", address)
    try:
        principal = throttled(uow, attempt, lambda: sign_in_key(uow, api_key.strip()) if api_key
                              else sign_in_user(uow, name or "", password or ""))  # fmt: skip
    except TooManyAttempts as error:
        page = render(request, "sign_in.html", context | {"error": f"Not signed in: {error.detail}."}, 429)
        page.headers["Retry-After"] = str(error.retry_after_s)
        return page
    except Unauthorized as error:
        return render(request, "sign_in.html", context | {"error": f"Not signed in: {error.detail}."}, 401)
    actor = session_actor(uow, principal)
    if actor is None or not actor.can(Permission.ORDER_READ):
        error = "This key's role has no pages in the console (it is for a system: a WMS or a carrier)."
        return render(request, "sign_in.html", context | {"error": error}, 403)
    session = load_session(request)
    if session.signed_in:  # signing in again, maybe as someone else: the previous session ends
        console_sessions.end(uow, session.signed_in)
    session.sign_in(console_sessions.start(uow, actor, principal))
    return RedirectResponse(_local(next), status_code=303)


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out(request: Request):
    session = load_session(request)
    if session.signed_in:
        console_sessions.end(UnitOfWork(request.app.state.engine), session.signed_in)
    session.sign_out()
    return RedirectResponse("/sign-in", status_code=303)
