"""Inventory: a SKU's ATP across the nodes (now or by a date with inbound supply, for a channel net of
its protections), the SKUs running short, and a confirmed stock adjustment for roles that may write
stock. Every read and write goes through oms.services with the signed-in actor."""

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from pydantic import Field, ValidationError, field_validator

from oms.services.actor import Permission
from oms.services.atp import AtpQuery, get_atp
from oms.services.catalog import list_products
from oms.services.channel_protections import list_channel_protections
from oms.services.errors import Conflict, NotFound, ValidationFailed
from oms.services.inbound_supply import list_inbound_supply
from oms.services.inventory import list_inventory
from oms.services.low_stock import LowStockQuery, low_stock
from oms.services.order_models import Command
from oms.services.stock_adjustments import StockAdjustment, adjust_stock
from oms.web.console import Console, ConsoleDep, ConsoleRoute, CsrfChecked, FormDep, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


class InventorySearch(Command):
    q: str | None = Field(default=None, max_length=200, description="A SKU, or part of a product's name")
    sku: str | None = Field(default=None, max_length=64)
    channel: str | None = Field(default=None, max_length=40)
    date: dt.date | None = None
    done: Literal["adjusted"] | None = None  # said once an adjustment brought the person back here

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_absent(cls, value):
        return None if value == "" else (value.strip() or None if isinstance(value, str) else value)


@router.get("/inventory")
def inventory_page(request: Request, console: ConsoleDep, search: Annotated[InventorySearch, Query()]):
    matches = _matches(console, search.q) if search.q and not search.sku else []
    sku = search.sku or (matches[0].sku if len(matches) == 1 else None)
    context = {"console": console, "search": search, "matches": matches, "sku": sku, "atp": None, "error": None,
               "inbound": [], "protections": [], "done": search.done}  # fmt: skip
    if sku:
        try:
            context["atp"] = get_atp(
                console.uow, console.actor, AtpQuery(sku=sku, channel=search.channel, date=search.date)
            )
        except (NotFound, ValidationFailed) as error:  # unknown SKU or channel: say so on the search page
            context["error"] = error.detail
        else:
            inbound = list_inbound_supply(console.uow, console.actor, limit=200, sku=sku).items
            context["inbound"] = [s for s in inbound if s.status == "open"]
            context["protections"] = _protections(console, search.channel, sku)
    return render(request, "inventory.html", context)


@router.get("/inventory/low-stock")
def low_stock_page(request: Request, console: ConsoleDep, query: Annotated[LowStockQuery, Query()]):
    page = low_stock(console.uow, console.actor, query)
    return render(request, "low_stock.html", {"console": console, "page": page, "query": query})


@router.get("/inventory/{node_id}/{sku}/adjust")
def confirm_adjustment(request: Request, node_id: str, sku: str, console: ConsoleDep):
    console.actor.require(Permission.INVENTORY_WRITE)
    return _adjust_form(request, console, node_id, sku)


@router.post("/inventory/{node_id}/{sku}/adjust", dependencies=[CsrfChecked])
def run_adjustment(request: Request, node_id: str, sku: str, console: ConsoleDep, form: FormDep):
    try:
        cmd = StockAdjustment(on_hand=form.get("on_hand") or None, reason=form.get("reason") or "",
                              expected_on_hand=form.get("expected_on_hand") or None)  # fmt: skip
        adjust_stock(console.uow, console.actor, node_id, sku, cmd)
    except ValidationError as error:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())
        return _adjust_form(
            request, console, node_id, sku, 422, f"Some values are not valid: {detail}.", form
        )
    except Conflict as error:  # counted since the form was shown; a refusal (403, 404) is a page of its own
        return _adjust_form(request, console, node_id, sku, 409, f"Not done: {error.detail}.", form)
    return RedirectResponse(f"/inventory?sku={sku}&done=adjusted", status_code=303)


def _adjust_form(request: Request, console: Console, node_id: str, sku: str, status: int = 200,
                 error: str | None = None, form=None):  # fmt: skip
    positions = list_inventory(console.uow, console.actor, limit=1, sku=sku, node=node_id).items
    if not positions:  # a position never counted starts at zero: check the node and SKU exist
        get_atp(console.uow, console.actor, AtpQuery(sku=sku, node=node_id))
    context = {"console": console, "node_id": node_id, "sku": sku, "position": positions[0] if positions else None,
               "error": error, "form": form or {}}  # fmt: skip
    return render(request, "inventory_adjust.html", context, status_code=status)


def _matches(console: Console, q: str):
    page = list_products(console.uow, console.actor, limit=20, q=q)
    exact = [p for p in page.items if p.sku.lower() == q.lower()]
    return exact or page.items


def _protections(console: Console, channel: str | None, sku: str):
    if not channel:
        return []
    rules = list_channel_protections(console.uow, console.actor, limit=500, channel=channel).items
    return [r for r in rules if r.sku in (None, sku)]
