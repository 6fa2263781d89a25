"""Finding orders as the console's desks do: free text (order number, the channel's reference, customer
name or e-mail), status, channel, node, creation dates, late or at risk; newest first, paged by id.

Late: not delivered nor cancelled, and the promised delivery date has passed. At risk: the SLA check
has an unresolved ship-by or deliver-by alert on it, at risk or breached (oms.services.sla_check: a breach
supersedes the at-risk alert, and a missed ship-by is not late until the promised delivery date)."""

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import text

from oms.domain.order_status import OrderStatus
from oms.services.actor import Actor, Permission
from oms.services.order_models import FilterForm, OrderSummary
from oms.services.sla_check import CHECKED_KINDS
from oms.services.uow import UnitOfWork

Ref = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]

_NOT_DONE = "o.status NOT IN ('delivered', 'cancelled')"
LATE = f"({_NOT_DONE} AND o.promised_delivery_date < current_date)"
_AT_RISK_KINDS = ", ".join(f"'{k.value}'" for k in CHECKED_KINDS)
AT_RISK_IDS = f"SELECT order_id FROM alerts WHERE status <> 'resolved' AND kind IN ({_AT_RISK_KINDS})"

_ORDER_NUMBER = re.compile(r"[0-9]{1,18}")  # a bigint; not every str.isdigit (², ١) is one

_FILTERS = {
    # One id list from three indexed lookups, rather than an OR that makes PostgreSQL read every order.
    "q": """o.id IN (SELECT id FROM orders WHERE external_id = :q
                     UNION ALL SELECT CAST(:q_id AS bigint)
                     UNION ALL SELECT x.id FROM orders x WHERE x.customer_id IN (
                       SELECT id FROM customers WHERE name ILIKE :q_like OR email ILIKE :q_like))""",
    "status": "o.status = :status",
    "channel": "o.channel_id = :channel",
    # An order is at a node while it holds stock there or has a fulfilment order there (shipped ones too).
    "node": """o.id IN (SELECT order_id FROM allocations WHERE node_id = :node
                        UNION ALL SELECT order_id FROM fulfilment_orders WHERE node_id = :node)""",
    "created_from": "o.created_at >= :created_from",
    "created_to": "o.created_at < CAST(:created_to AS date) + 1",
    "late": LATE,
    "at_risk": f"o.id IN ({AT_RISK_IDS})",
    "cursor": "o.id < :cursor",
}
_SELECT = f"""
    SELECT o.id, o.channel_id AS channel, o.external_id, o.status, c.name AS customer_name,
           c.email AS customer_email, o.ship_to_country, o.service_level, o.currency, o.total_amount,
           o.promised_delivery_date, o.created_at, coalesce({LATE}, false) AS late,  -- no date: not late
           EXISTS (SELECT 1 FROM alerts a WHERE a.order_id = o.id AND a.status <> 'resolved'
                   AND a.kind IN ({_AT_RISK_KINDS})) AS at_risk
    FROM orders o JOIN customers c ON c.id = o.customer_id
    WHERE {{where}} ORDER BY o.id DESC LIMIT :fetch
"""
_COUNTS = text(
    f"""
    SELECT count(*) FILTER (WHERE o.status = 'on_hold') AS on_hold,
           count(*) FILTER (WHERE o.status = 'backordered') AS backordered,
           count(*) FILTER (WHERE {LATE}) AS late,
           count(*) FILTER (WHERE o.id IN ({AT_RISK_IDS})) AS at_risk
    FROM orders o WHERE {_NOT_DONE} AND (CAST(:channel AS text) IS NULL OR o.channel_id = :channel)
    """
)


class OrderSearch(FilterForm):
    q: Ref | None = Field(default=None, description="Order number, channel reference, customer name or e-mail")
    status: OrderStatus | None = None
    channel: Ref | None = None
    node: Ref | None = None
    created_from: dt.date | None = None
    created_to: dt.date | None = Field(default=None, description="Inclusive")
    late: bool = False
    at_risk: bool = False
    limit: int = Field(default=50, ge=1, le=200)
    cursor: int | None = Field(default=None, gt=0, description="next_cursor of the previous page")


class OrderRow(OrderSummary):
    late: bool
    at_risk: bool


class OrderRowsPage(BaseModel):
    items: list[OrderRow]
    next_cursor: int | None


class OrderCounts(BaseModel):
    on_hold: int
    backordered: int
    late: int
    at_risk: int


def search_orders(uow: UnitOfWork, actor: Actor, query: OrderSearch) -> OrderRowsPage:
    """Newest first, paged by id (keyset), so deep pages cost as little as the first."""
    actor.require(Permission.ORDER_READ)
    params = {k: v for k, v in query.model_dump(exclude={"limit"}).items() if v not in (None, False)}
    if actor.channel_id:
        params["channel"] = actor.channel_id
    where = " AND ".join(_FILTERS[k] for k in params) or "TRUE"
    if query.q:
        params |= {"q_id": int(query.q) if _ORDER_NUMBER.fullmatch(query.q) else None,
                   "q_like": "%" + _escape_like(query.q) + "%"}  # fmt: skip
    with uow.reading():
        rows = uow.conn.execute(text(_SELECT.format(where=where)), params | {"fetch": query.limit + 1}).mappings()
        items = [OrderRow.model_validate(r) for r in rows]
    more = len(items) > query.limit
    return OrderRowsPage(items=items[: query.limit], next_cursor=items[query.limit - 1].id if more else None)


def order_counts(uow: UnitOfWork, actor: Actor) -> OrderCounts:
    """Open orders needing attention: on hold, backordered, late, at risk."""
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        row = uow.conn.execute(_COUNTS, {"channel": actor.channel_id}).mappings().one()
    return OrderCounts.model_validate(row)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
