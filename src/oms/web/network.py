"""Network: each node's load today (capacity used against daily capacity, open fulfilment orders, outage
state), SLA attainment per node and carrier over a chosen period, and the returns waiting to be received
or inspected. Each section shows to the roles that may read it; the services check again."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field, ValidationError

from oms.domain.returns import ReturnStatus
from oms.services.actor import Permission
from oms.services.network_load import node_loads
from oms.services.order_models import FilterForm
from oms.services.return_models import ReturnListQuery
from oms.services.return_queries import list_returns
from oms.services.sla_report import SlaReportQuery, sla_report
from oms.web.console import Console, ConsoleDep, ConsoleRoute, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)

DEFAULT_DAYS = 7
# Returns the warehouse still owes work: nothing or part arrived, or arrived and not yet inspected.
WAITING = (
    ReturnStatus.AUTHORISED,
    ReturnStatus.IN_TRANSIT,
    ReturnStatus.PARTIALLY_RECEIVED,
    ReturnStatus.RECEIVED,
)
QUEUE_SIZE = 20


class NetworkView(FilterForm):
    from_: dt.date | None = Field(default=None, alias="from", description="First day of the SLA period")
    to: dt.date | None = Field(default=None, description="Last day of the SLA period (included)")
    cursor: str | None = Field(default=None, max_length=200, description="Next page of nodes")


@router.get("/network")
def network_page(request: Request, console: ConsoleDep, view: Annotated[NetworkView, Query()]):
    to = view.to or dt.date.today()
    period = {"from": view.from_ or to - dt.timedelta(days=DEFAULT_DAYS - 1), "to": to}
    context = {"console": console, "view": view, "period": period, "sla": None, "sla_error": None,
               "nodes": node_loads(console.uow, console.actor, cursor=view.cursor),
               "returns": _returns_queue(console)}  # fmt: skip
    if console.can(Permission.SLA_READ):
        try:
            context["sla"] = sla_report(console.uow, console.actor, SlaReportQuery.model_validate(period))
        except ValidationError as error:
            context["sla_error"] = "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())
    return render(request, "network.html", context)


def _returns_queue(console: Console):
    """Per waiting status, its newest returns; None for a role that may not read returns."""
    if not console.can(Permission.RETURNS_READ):
        return None
    query = ReturnListQuery(limit=QUEUE_SIZE)
    return {status: list_returns(console.uow, console.actor, query.model_copy(update={"status": status}))
            for status in WAITING}  # fmt: skip
