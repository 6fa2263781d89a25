"""What every console page shares: who is signed in (an Actor built as the API builds it, so services
enforce the same rules), the templates, the navigation, and how refusals become readable pages.

Routes declare `ConsoleDep` to require a signed-in person and `CsrfChecked` on every POST. Their
router's route class, `ConsoleRoute`, turns a service's refusal into an error page with what to do,
saves the session cookie when it changed, and keeps its answers out of the browser's cache."""

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from oms.domain.errors import DomainError
from oms.services.actor import Actor, Permission
from oms.services.errors import ServiceError
from oms.services.uow import UnitOfWork
from oms.web.session import CSRF_FIELD, CSRF_HEADER, WebSession, load_session, save_session

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

# The console's pages, in the navigation's order, each shown to those who may read it. A page added to
# the console adds its line here.
NAV = (("Orders", "/orders", Permission.ORDER_READ),
       ("Imports", "/imports", Permission.ORDER_CAPTURE), ("Entry", "/entry", Permission.ORDER_CAPTURE),
       ("Inventory", "/inventory", Permission.INVENTORY_READ), ("Network", "/network", Permission.NETWORK_READ),
       ("Overview", "/overview", Permission.REPORTS_READ),
       ("Alerts", "/alerts", Permission.ALERTS_READ), ("Anomalies", "/anomalies", Permission.ALERTS_READ),
       ("Routing", "/routing", Permission.ROUTING_READ),
       ("Assistant", "/assistant", Permission.ASSISTANT))


class SignInRequired(Exception):
    """No one is signed in (or their user was disabled, their key revoked)."""


class CsrfRefused(ServiceError):
    status, title, type_slug = 403, "This form has expired", "csrf"


@dataclass(frozen=True)
class Console:
    actor: Actor
    session: WebSession
    uow: UnitOfWork

    def can(self, permission: str) -> bool:
        return self.actor.can(Permission(permission))

    @property
    def nav(self) -> list[tuple[str, str]]:
        return [(label, href) for label, href, needs in NAV if self.actor.can(needs)]


def signed_in(request: Request) -> Console:
    session = load_session(request)
    if session.actor is None:
        raise SignInRequired
    request.state.console = console = Console(session.actor, session, UnitOfWork(request.app.state.engine))
    return console


async def read_form(request: Request) -> FormData:
    """The posted form, read on the event loop so that a sync route gets it ready."""
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def csrf_checked(request: Request, form: FormDep) -> None:
    """Every POST carries the session's token, in the form or (htmx) in a header. Sync, as loading the
    session queries the database: off the event loop."""
    token = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    if not load_session(request).csrf_matches(token if isinstance(token, str) else None):
        raise CsrfRefused("this page's form is from another session or has expired: reload the page, and try again")


ConsoleDep = Annotated[Console, Depends(signed_in)]
CsrfChecked = Depends(csrf_checked)


def render(request: Request, template: str, context: dict, status_code: int = 200) -> HTMLResponse:
    session = load_session(request)
    base = {"csrf_token": session.csrf, "csrf_field": CSRF_FIELD}
    return templates.TemplateResponse(request, template, base | context, status_code=status_code)


def error_page(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    """A refusal as a page, in the layout (with the navigation when someone is signed in)."""
    context = {"console": getattr(request.state, "console", None), "status": status, "title": title,
               "detail": detail}  # fmt: skip
    return render(request, "error.html", context, status_code=status)


def _to_sign_in(request: Request) -> Response:
    target = "/sign-in?next=" + quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    if "HX-Request" in request.headers:  # htmx would swap the sign-in page into a fragment: reload instead
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


class ConsoleRoute(APIRoute):
    def get_route_handler(self):
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                response = await handler(request)
            except SignInRequired:
                response = _to_sign_in(request)
            except ServiceError as error:
                response = error_page(request, error.status, error.title, error.detail)
            except DomainError as error:
                response = error_page(request, 409, "Not possible now", str(error))
            except RequestValidationError as error:
                detail = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in error.errors())
                response = error_page(request, 422, "Some values are not valid", detail)
            save_session(request, response)
            # Pages name customers and carry the form token: no copy in the browser's cache for the back
            # button after sign-out, nor a table fragment of htmx's served where a page was asked for.
            response.headers.setdefault("Cache-Control", "no-store")
            return response

        return route
