"""Alerts: the queue the desks work (open ones first, oldest first: the longest waiting is the most
overdue), one alert with what it is about, and acknowledging or resolving it with a note. The anomaly
agent's alerts (issue 08) will land in the same list."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import Field, ValidationError

from oms.domain.alerts import AlertKind, AlertStatus, Severity, allowed
from oms.services import alerts
from oms.services.actor import Permission
from oms.services.alert_models import AcknowledgeCommand, AlertPublic, AlertQuery, ResolveCommand
from oms.services.alert_queries import get_alert, list_alerts
from oms.services.errors import ServiceError
from oms.services.order_models import Command
from oms.web.console import Console, ConsoleDep, ConsoleRoute, CsrfChecked, FormDep, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
PAGE_SIZE = 50
# An alert's id is a bigint: a larger number in the address is a readable 422, not a failed statement.
AlertId = Annotated[int, Path(ge=1, le=2**63 - 1)]
DONE = {"acknowledge": "You are on it: the alert is acknowledged.", "resolve": "The alert is resolved."}


class AlertsView(Command):
    """The list's filters as the page's form sends them: a blank field is no filter; the status defaults
    to open, and "any" shows every status."""

    status: AlertStatus | Literal["any"] = AlertStatus.OPEN
    kind: AlertKind | Literal[""] = ""
    severity: Severity | Literal[""] = ""
    node: str = Field(default="", max_length=40)
    carrier: str = Field(default="", max_length=40)
    channel: str = Field(default="", max_length=40)
    cursor: str | None = Field(default=None, max_length=500)

    def query(self) -> AlertQuery:
        return AlertQuery(status=None if self.status == "any" else self.status, kind=self.kind or None,
                          severity=self.severity or None, node=self.node or None, carrier=self.carrier or None,
                          channel=self.channel or None, cursor=self.cursor, limit=PAGE_SIZE)  # fmt: skip


@router.get("/alerts")
def alerts_list(request: Request, console: ConsoleDep, view: Annotated[AlertsView, Query()]):
    page = list_alerts(console.uow, console.actor, view.query())
    filters = view.model_dump(mode="json", exclude={"cursor"})
    context = {"console": console, "page": page, "view": view, "filters": filters, "statuses": list(AlertStatus),
               "kinds": list(AlertKind), "severities": list(Severity)}  # fmt: skip
    return render(request, "alerts.html", context)


@router.get("/alerts/{alert_id}")
def alert_page(request: Request, alert_id: AlertId, console: ConsoleDep, done: str | None = None):
    alert = get_alert(console.uow, console.actor, alert_id)
    return _alert(request, console, alert, done=DONE.get(done or ""))


@router.post("/alerts/{alert_id}/{action}", dependencies=[CsrfChecked])
def act_on_alert(request: Request, alert_id: AlertId, action: Literal["acknowledge", "resolve"], console: ConsoleDep,
                 form: FormDep):  # fmt: skip
    note = str(form.get("note") or "").strip() or None
    try:
        if action == "acknowledge":
            alerts.acknowledge(console.uow, console.actor, alert_id, AcknowledgeCommand(note=note))
        else:
            alerts.resolve(console.uow, console.actor, alert_id, ResolveCommand(note=note))
    except ValidationError as invalid:
        return _refused(request, console, alert_id, 422, _note_refused(invalid), note)
    except ServiceError as refusal:
        hint = " Reload the page: someone else acted on it meanwhile." if refusal.status == 409 else ""
        return _refused(request, console, alert_id, refusal.status, f"Not done: {refusal.detail}.{hint}", note)
    return RedirectResponse(f"/alerts/{alert_id}?done={action}", status_code=303)


def _note_refused(invalid: ValidationError) -> str:
    """What to do about the note: the only field of the form, too long or missing where resolving needs one."""
    too_long = next((e for e in invalid.errors() if e["type"] == "string_too_long"), None)
    if too_long:
        return f"The note is at most {too_long['ctx']['max_length']} characters: shorten it and submit again."
    return "Say in the note why it is resolved or what was done: the next person reads it."


def _refused(request: Request, console: Console, alert_id: int, status: int, error: str, note: str | None):
    alert = get_alert(console.uow, console.actor, alert_id)
    return _alert(request, console, alert, error=error, note=note, status_code=status)


def _alert(request: Request, console: Console, alert: AlertPublic, status_code: int = 200, **context):
    may_act = console.can(Permission.ALERTS_MANAGE)
    actions = [a for a in ("acknowledge", "resolve") if may_act and allowed(a, alert.status)]
    base = {"console": console, "alert": alert, "actions": actions, "done": None, "error": None, "note": None}
    return render(request, "alert.html", base | context, status_code=status_code)
