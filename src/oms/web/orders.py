"""Orders: the searchable list (htmx swaps the table, the URL keeps the filters), one order with all it
went through, and the payload it came in. Every read goes through oms.services with the signed-in actor."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from oms.domain.order_status import OrderStatus
from oms.services.actor import Permission
from oms.services.errors import NotFound
from oms.services.fulfilment_models import FulfilmentOrderQuery
from oms.services.fulfilment_queries import list_fulfilment_orders
from oms.services.inbound import get_payload
from oms.services.order_queries import get_order, order_events
from oms.services.order_search import OrderSearch, search_orders
from oms.services.payload_secrets import masked_payload
from oms.services.return_models import ReturnListQuery
from oms.services.return_queries import list_returns
from oms.services.routing_decisions import routing_decisions
from oms.services.shipment_history import order_shipments
from oms.services.shipping_costs import order_shipment_costs
from oms.web.console import Console, ConsoleDep, ConsoleRoute, render
from oms.web.order_actions import DONE_MESSAGES, available_actions
from oms.web.timeline import timeline

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@router.get("/orders")
def orders_list(request: Request, console: ConsoleDep, search: Annotated[OrderSearch, Query()]):
    page = search_orders(console.uow, console.actor, search)
    filters = search.model_dump(mode="json", exclude={"cursor"}, exclude_defaults=True)
    context = {"console": console, "page": page, "search": search, "filters": filters,
               "statuses": list(OrderStatus)}  # fmt: skip
    # htmx asks for the table alone, except when it restores a page from history (it wants all of it).
    partial = "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers
    return render(request, "orders_table.html" if partial else "orders.html", context)


@router.get("/orders/{order_id}")
def order_page(request: Request, order_id: int, console: ConsoleDep, done: str | None = None):
    uow, actor = console.uow, console.actor
    order = get_order(uow, actor, order_id)
    context = {
        "console": console,
        "order": order,
        "done": DONE_MESSAGES.get(done or ""),
        "actions": available_actions(console, order),
        "timeline": timeline(order_events(uow, actor, order_id)),
        "shipments": order_shipments(uow, actor, order_id),
        "costs": order_shipment_costs(uow, actor, order_id) if actor.can(Permission.ROUTING_READ) else None,
        "fulfilment_orders": _fulfilment_orders(console, order_id),
        "returns": list_returns(uow, actor, ReturnListQuery(order_id=order_id)).items
        if actor.can(Permission.RETURNS_READ) else None,
        "decisions": _decisions(console, order_id),
    }
    return render(request, "order.html", context)


@router.get("/orders/{order_id}/payload")
def order_payload(request: Request, order_id: int, console: ConsoleDep):
    """The payload the order came in, as the channel sent it."""
    order = get_order(console.uow, console.actor, order_id)
    if order.source.payload_id is None:
        raise NotFound(f"order {order_id} came through the API and keeps no channel payload")
    payload = get_payload(console.uow, console.actor, order.source.payload_id)
    # Shown to a person: without the channel's passwords and tokens, in text and in base64 alike.
    payload = payload.model_copy(update={"body": masked_payload(payload.body, payload.body_encoding)})
    return render(request, "payload.html", {"console": console, "order": order, "payload": payload})


def _fulfilment_orders(console: Console, order_id: int):
    if not console.actor.can(Permission.FULFILMENT_READ):
        return None
    return list_fulfilment_orders(console.uow, console.actor, FulfilmentOrderQuery(order=order_id)).items


def _decisions(console: Console, order_id: int):
    try:
        return routing_decisions(console.uow, console.actor, order_id, limit=10)
    except NotFound:
        return []  # never routed (e.g. captured on hold before any stock was looked for)
