"""Reading returns: one RMA with its lines, receipts, inspections and refunds; searchable pages; an
order's returns (including the one it is the exchange of); refunds."""

from pydantic import BaseModel
from sqlalchemy import Connection, text

from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.return_models import (
    RefundPublic,
    RefundsPage,
    ReturnListQuery,
    ReturnPublic,
    ReturnsPage,
    ReturnSummary,
)
from oms.services.uow import UnitOfWork

_REFUND_COLUMNS = """
    f.id, f.return_id, r.rma_number, f.order_id, f.customer_id, f.method, f.status, f.amount, f.currency,
    f.shipping, f.breakdown, f.created_by, f.created_at
"""
# One round trip: the return, its lines, and its receipts, inspections and refunds as JSON.
_RETURN = text(
    f"""
    SELECT r.id, r.rma_number, r.external_id, r.order_id, r.channel_id AS channel, r.customer_id, r.status,
           r.resolution, r.currency, r.return_carrier, r.return_tracking_number, r.exchange_order_id, r.exchange_lines,
           r.status_reason, r.policy, r.created_by, r.created_at, r.updated_at, r.version,
           (SELECT sum(l.quantity * l.unit_price) FROM return_lines l WHERE l.return_id = r.id) AS value,
           (SELECT json_agg(l ORDER BY l.line_no) FROM (
              SELECT line_no, sku, quantity, unit_price, reason_code, comment, received_quantity,
                     inspected_quantity, settled_quantity FROM return_lines WHERE return_id = r.id) l) AS lines,
           coalesce((SELECT json_agg(m ORDER BY m.id) FROM (
              SELECT x.id, l.line_no, x.node_id, x.quantity, x.received_by, x.created_at
              FROM return_receipts x JOIN return_lines l ON l.id = x.return_line_id
              WHERE x.return_id = r.id) m), '[]') AS receipts,
           coalesce((SELECT json_agg(m ORDER BY m.id) FROM (
              SELECT x.id, l.line_no, x.node_id, x.quantity, x.condition, x.disposition, x.refundable, x.note,
                     x.inspected_by, x.created_at
              FROM return_inspections x JOIN return_lines l ON l.id = x.return_line_id
              WHERE x.return_id = r.id) m), '[]') AS inspections,
           coalesce((SELECT json_agg(m ORDER BY m.id) FROM (
              SELECT {_REFUND_COLUMNS} FROM refunds f WHERE f.return_id = r.id) m), '[]') AS refunds
    FROM returns r WHERE r.id = :id
    """
)
_FILTERS = {
    "status": "r.status = :status",
    "channel": "r.channel_id = :channel",
    "order_id": "(r.order_id = :order_id OR r.exchange_order_id = :order_id)",
    "customer_id": "r.customer_id = :customer_id",
    "rma_number": "r.rma_number = :rma_number",
    "external_id": "r.external_id = :external_id",  # with the channel: uq_returns_channel_external
    "refund_order_id": "f.order_id = :refund_order_id",
    "created_from": "r.created_at >= :created_from",
    "created_to": "r.created_at < :created_to",
}


def fetch_return(conn: Connection, return_id: int) -> ReturnPublic | None:
    row = conn.execute(_RETURN, {"id": return_id}).mappings().first()
    return None if row is None else ReturnPublic.model_validate(dict(row))


def get_return(uow: UnitOfWork, actor: Actor, return_id: int) -> ReturnPublic:
    actor.require(Permission.RETURNS_READ)
    with uow.reading():
        view = fetch_return(uow.conn, return_id)
    if view is None or not actor.sees_channel(view.channel):
        raise NotFound(f"no return {return_id}")
    return view


def list_returns(uow: UnitOfWork, actor: Actor, query: ReturnListQuery) -> ReturnsPage:
    """Newest first, paged by id (keyset)."""
    actor.require(Permission.RETURNS_READ)
    select = """
        SELECT r.id, r.rma_number, r.external_id, r.order_id, r.channel_id AS channel, r.customer_id, r.status,
               r.resolution, r.currency, r.exchange_order_id, r.created_at, l.units, l.value
        FROM returns r
        CROSS JOIN LATERAL (SELECT sum(quantity) AS units, sum(quantity * unit_price) AS value
                            FROM return_lines WHERE return_id = r.id) l
    """
    params = query.model_dump(exclude_none=True, mode="json", exclude={"limit"})
    items, next_cursor = _page(uow, actor, select, "r.id", params, query.limit, ReturnSummary)
    return ReturnsPage(items=items, next_cursor=next_cursor)


def fetch_refund(conn: Connection, refund_id: int) -> RefundPublic:
    sql = text(f"SELECT {_REFUND_COLUMNS} FROM refunds f JOIN returns r ON r.id = f.return_id WHERE f.id = :id")
    return RefundPublic.model_validate(conn.execute(sql, {"id": refund_id}).mappings().one())


def list_refunds(uow: UnitOfWork, actor: Actor, order_id: int | None = None, customer_id: int | None = None,
                 limit: int = 50, cursor: int | None = None) -> RefundsPage:
    """Refunds and store credit issued, newest first, of one order or customer if asked."""
    actor.require(Permission.RETURNS_READ)
    select = f"SELECT {_REFUND_COLUMNS} FROM refunds f JOIN returns r ON r.id = f.return_id"
    params = {"refund_order_id": order_id, "customer_id": customer_id, "cursor": cursor}
    items, next_cursor = _page(uow, actor, select, "f.id", {k: v for k, v in params.items() if v is not None}, limit,
                               RefundPublic)  # fmt: skip
    return RefundsPage(items=items, next_cursor=next_cursor)


def _page(uow: UnitOfWork, actor: Actor, select: str, key: str, params: dict, limit: int, item: type[BaseModel]):
    """A page of `select`, newest first by `key`, filtered by `params` (and by channel, for a channel
    actor); its items and the cursor of the next page."""
    if actor.channel_id:
        params["channel"] = actor.channel_id
    filters = {**_FILTERS, "cursor": f"{key} < :cursor"}
    where = " AND ".join(filters[k] for k in params if k in filters) or "TRUE"
    sql = text(f"{select} WHERE {where} ORDER BY {key} DESC LIMIT :fetch")
    with uow.reading():
        rows = uow.conn.execute(sql, {**params, "fetch": limit + 1}).mappings().all()
    items = [item.model_validate(r) for r in rows[:limit]]
    return items, (items[-1].id if len(rows) > limit else None)
