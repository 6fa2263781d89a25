"""Checks that commands name nodes, SKUs and channels that exist, as field errors rather than the
foreign-key violation the database would raise half-way through a batch."""

from sqlalchemy import Column, Connection, select

from oms.db.tables import channels, nodes, products
from oms.services.errors import FieldError

# Field name in a command -> the column it must name a row of, and how to call that row.
_TARGETS: dict[str, tuple[Column, str]] = {
    "node_id": (nodes.c.id, "node"),
    "node": (nodes.c.id, "node"),
    "sku": (products.c.sku, "SKU"),
    "channel": (channels.c.id, "channel"),
}


def unknown_references(conn: Connection, items: list[dict[str, str | None]]) -> list[FieldError]:
    """An `(index, field)` error for each value that names nothing; None (not given) is never unknown.
    One query per kind of reference, whatever the number of items."""
    fields = [f for f in _TARGETS if items and f in items[0]]
    missing = {f: _missing(conn, _TARGETS[f][0], {item[f] for item in items}) for f in fields}
    return [
        FieldError((index, f), f"unknown {_TARGETS[f][1]} '{item[f]}'", "unknown")
        for index, item in enumerate(items)
        for f in fields
        if item[f] in missing[f]
    ]


def _missing(conn: Connection, column: Column, values: set[str | None]) -> set[str]:
    values.discard(None)
    return values - set(conn.execute(select(column).where(column.in_(values))).scalars())
