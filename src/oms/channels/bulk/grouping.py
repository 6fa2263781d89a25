"""Rows grouped into orders by order_ref, the order-level columns checked to agree across an order's rows."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from oms.channels.bulk.columns import ORDER_COLUMNS
from oms.channels.bulk.reading import Row


@dataclass(frozen=True, slots=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str  # "" when the error is about the whole row or order
    message: str
    order_ref: str | None = None
    code: str = "invalid"


@dataclass
class FileOrder:
    """An order's rows: its order-level values (and the row each was read from), and its lines."""

    ref: str
    values: dict[str, str] = field(default_factory=dict)
    origin: dict[str, int] = field(default_factory=dict)
    lines: list[Row] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)  # order-level values that disagree

    @property
    def rows(self) -> list[int]:
        return [row.number for row in self.lines]

    @property
    def reference(self) -> str:
        """The order's rows, as the order's source reference: "rows 2-4"."""
        return row_ranges(self.rows)

    def column_row(self, column: str) -> int:
        return self.origin.get(column, self.lines[0].number)


def row_ranges(rows: list[int]) -> str:
    spans: list[list[int]] = []
    for row in rows:
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    text = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)
    if len(text) > 80:  # the order's source reference is a short column
        text = f"{rows[0]}-{rows[-1]} ({len(rows)} rows)"
    return f"rows {text}" if len(rows) > 1 else f"row {text}"


def group_orders(rows: Iterable[Row]) -> tuple[list[FileOrder], list[RowError]]:
    """Rows grouped by order_ref in the order their first row comes (an order's rows need not be
    together), and the errors of rows without one. An order-level value may be left blank on an order's
    other rows, but where given it must be the same (else an error of the order)."""
    orders: dict[str, FileOrder] = {}
    errors = []
    for row in rows:
        ref = row.cells.get("order_ref")
        if ref is None:
            errors.append(RowError(row.number, "order_ref", "Field required", None, "missing"))
            continue
        order = orders.setdefault(ref, FileOrder(ref))
        order.lines.append(row)
        for column in ORDER_COLUMNS:
            value = row.cells.get(column)
            if value is None:
                continue
            if column not in order.values:
                order.values[column], order.origin[column] = value, row.number
            elif order.values[column] != value:
                given, origin = order.values[column], order.origin[column]
                message = f"'{value}' differs from '{given}' given on row {origin} for this order"
                order.errors.append(RowError(row.number, column, message, ref, "disagrees"))
    return list(orders.values()), errors


