"""Keyset pagination shared by every list: rows come ordered by a unique key, and the cursor is the key
of the last row served. Unlike an offset, a page stays correct while rows are added before it, and
reading page 1,000 costs the same index probe as page 1."""

import base64
import json
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Column, Connection, Row, Select, tuple_

from oms.services.errors import FieldError, ValidationFailed

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """Each list subclasses it (`class ProductPage(Page[ProductPublic])`) to get a schema name of its own."""

    items: list[T]
    next_cursor: str | None = None


P = TypeVar("P", bound=Page)


def encode_cursor(key: Sequence[str | int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, columns: Sequence[Column]) -> list[str | int]:
    """The key inside `cursor`, checked against the key columns so a forged cursor is a 422, not a 500."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        key = None
    if not isinstance(key, list) or len(key) != len(columns) or not all(map(_fits, key, columns)):
        raise ValidationFailed(
            [FieldError(("cursor",), "not a cursor this list handed out", "invalid_cursor")]
        )
    return key


def _fits(value, column: Column) -> bool:
    return isinstance(value, column.type.python_type) and not isinstance(value, bool)


def fetch_page(
    conn: Connection,
    query: Select,
    key: Sequence[Column],
    limit: int,
    cursor: str | None,
    page_type: type[P],
    to_item: Callable[[Row], object],
) -> P:
    """One page of `query` ordered by `key`, starting after `cursor`; `to_item` turns a row into an item."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed([FieldError(("limit",), f"must be between 1 and {MAX_LIMIT}", "out_of_range")])
    if cursor:
        query = query.where(tuple_(*key) > tuple_(*decode_cursor(cursor, key)))
    rows = conn.execute(query.order_by(*key).limit(limit + 1)).all()
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = encode_cursor([getattr(rows[-1], c.name) for c in key]) if more else None
    return page_type(items=[to_item(r) for r in rows], next_cursor=next_cursor)
