"""Reading order drafts: one draft as staff see it, a draft locked for a change, the list of drafts."""

from sqlalchemy import Connection, RowMapping, text

from oms.db.tables import order_drafts
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.order_entry_models import DraftStatus, OrderDraftPublic, OrderDraftSummary
from oms.services.pagination import DEFAULT_LIMIT, Page, decode_cursor, encode_cursor
from oms.services.uow import UnitOfWork

_COLUMNS = """id, status, version, channel_id AS channel, file_name, pages, payload_id, order_id, content,
              created_by, created_at, updated_at"""
_BY_ID = text(f"SELECT {_COLUMNS} FROM order_drafts WHERE id = :id")
_LOCKED = text(f"SELECT {_COLUMNS} FROM order_drafts WHERE id = :id FOR UPDATE")
_BY_PAYLOAD = text(f"SELECT {_COLUMNS} FROM order_drafts WHERE payload_id = :payload_id")
_LIST = text(
    """
    SELECT id, status, channel_id AS channel, file_name, content->>'document_number' AS document_number,
           content->'customer'->>'name' AS customer_name, jsonb_array_length(content->'lines') AS lines,
           (content->>'confidence')::float AS confidence, order_id, created_by, created_at
    FROM order_drafts
    WHERE (CAST(:status AS text) IS NULL OR status = :status)
      AND (CAST(:channel AS text) IS NULL OR channel_id = :channel)
      AND (CAST(:before AS bigint) IS NULL OR id < :before)
    ORDER BY id DESC LIMIT :limit
    """
)


class OrderDraftPage(Page[OrderDraftSummary]):
    pass


def draft_row(conn: Connection, draft_id: int) -> RowMapping | None:
    return conn.execute(_BY_ID, {"id": draft_id}).mappings().first()


def draft_by_payload(conn: Connection, payload_id: int) -> RowMapping:
    return conn.execute(_BY_PAYLOAD, {"payload_id": payload_id}).mappings().one()


def draft_view(row: RowMapping) -> OrderDraftPublic:
    return OrderDraftPublic.model_validate(
        {**row["content"], **{k: v for k, v in row.items() if k != "content"}}
    )


def locked_draft(conn: Connection, actor: Actor, draft_id: int, expected_version: int) -> RowMapping:
    """The draft, locked until the transaction ends, if it is still the version the actor read."""
    row = conn.execute(_LOCKED, {"id": draft_id}).mappings().first()
    if row is None or not actor.sees_channel(row["channel"]):
        raise NotFound(f"no order draft {draft_id}")
    if row["version"] != expected_version:
        raise Conflict(f"order draft {draft_id} changed since it was read (version {row['version']}, not "
                       f"{expected_version}): read it again")  # fmt: skip
    return row


def list_drafts(uow: UnitOfWork, actor: Actor, status: DraftStatus | None = None, limit: int = DEFAULT_LIMIT,
                cursor: str | None = None) -> OrderDraftPage:  # fmt: skip
    """Drafts newest first, of the actor's channel only for a channel-role actor; `cursor` pages on."""
    actor.require(Permission.ORDER_READ)
    before = decode_cursor(cursor, [order_drafts.c.id])[0] if cursor else None
    params = {"status": status, "channel": actor.channel_id, "before": before, "limit": limit + 1}
    with uow.reading():
        rows = uow.conn.execute(_LIST, params).mappings().all()
    items = [OrderDraftSummary.model_validate(row) for row in rows[:limit]]
    return OrderDraftPage(
        items=items, next_cursor=encode_cursor([items[-1].id]) if len(rows) > limit else None
    )
