"""The console's landing page: what needs attention today, and a search box."""

from fastapi import APIRouter, Request

from oms.services.order_search import order_counts
from oms.web.console import ConsoleDep, ConsoleRoute, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@router.get("/")
def home(request: Request, console: ConsoleDep):
    return render(request, "home.html", {"console": console, "counts": order_counts(console.uow, console.actor)})
