"""The product lines of a document's table, over as many pages as it runs: the header row found on each
page (repeated or not), each row's words put in columns, a row with only a description continuing the
line above it (a wrapped description), carried-forward rows skipped, discount and shipping rows read
as charges, and the first row of the totals block (subtotal, tax, total) ending the table. A row that
starts with a total's word but has a product code is a product ("Shipping box 40x30")."""

from dataclasses import dataclass, field
from decimal import Decimal

from oms.channels.documents.columns import Column, assign, header_columns
from oms.channels.documents.inferred_columns import ROWS, best_typed, inferred_header, phrase_columns
from oms.channels.documents.labels import total_labels
from oms.channels.documents.layout import Line, Page, Word
from oms.channels.documents.model import ExtractedLine
from oms.channels.documents.numbers import is_number
from oms.channels.documents.rows import product_line
from oms.channels.documents.totals import read_totals

_PO_CODES = {"your_code": "code", "our_code": "customer_part"}
_INVOICE_CODES = {"our_code": "code", "your_code": "customer_part"}
_CLOSING = frozenset({"subtotal", "tax", "total"})  # a discount or a shipping row may come between lines
_ROW_GAP = 4.0  # line heights: a row farther below the table's last one is no longer in the table


@dataclass
class Table:
    lines: list[ExtractedLine] = field(default_factory=list)
    columns: list[Column] | None = None
    end: tuple[int, int] | None = None  # (page number, line index) of the row that closed it
    gap: tuple[int, int] | None = None  # the last line found far below the rows (a page's foot)
    charges: dict[str, Decimal] = field(default_factory=dict)
    line_dates: list[str] = field(default_factory=list)  # a "Need by" column's dates, line by line
    perspective: dict[str, str] = field(
        default_factory=dict
    )  # "your_code"/"our_code" to code kinds  # discount or shipping rows among the lines


def read_table(pages: list[Page], decimal_mark: str, purchase_order: bool = True) -> Table:
    """The lines; on a purchase order, "your ref" is the seller's code and "our ref" the buyer's part
    number, the other way round on an invoice."""
    table = Table(perspective=_PO_CODES if purchase_order else _INVOICE_CODES)
    for page in pages:
        start = _start_on(page, table, decimal_mark)
        if start is None:
            continue
        _read_rows(page, start, table, decimal_mark)
        if table.end:
            break
    return table


def _start_on(page: Page, table: Table, decimal_mark: str) -> int | None:
    """The index of the page's first table row: below its header row, or the top of the page when the
    table goes on from the page before without repeating its header. A header's figures (quantity, price,
    amount) are told by the arithmetic of the rows under it when it works out, by its labels otherwise; a
    header whose labels are not understood at all is typed from the rows under it."""
    for index, line in enumerate(page.lines):
        columns = header_columns(line)
        rows = page.lines[index + 1 : index + 1 + ROWS]
        typed = columns and best_typed(columns, phrase_columns(line), rows, decimal_mark)
        if typed or (columns and _has_figures(columns)):
            table.columns = typed or columns
            return index + 1
    if table.columns:
        return 0
    inferred = inferred_header(page, decimal_mark)
    if inferred is None:
        return None
    index, table.columns = inferred
    return index + 1


def _has_figures(columns: list[Column]) -> bool:
    """A quantity column, and a price or an amount: what a product line needs."""
    kinds = {column.kind for column in columns}
    return "quantity" in kinds and bool(kinds & {"unit_price", "amount"})


def _read_rows(page: Page, start: int, table: Table, decimal_mark: str) -> None:
    previous: Line | None = page.lines[start - 1] if start else None
    for index in range(start, len(page.lines)):
        line = page.lines[index]
        if previous is not None and line.top - previous.bottom > _ROW_GAP * previous.height:
            table.gap = (page.number, index)
            return
        outcome = _read_row(line, table, decimal_mark, page.number)
        if outcome == "end":
            table.end = (page.number, index)
            return
        if outcome == "taken":
            previous = line


def _read_row(line: Line, table: Table, decimal_mark: str, page: int) -> str:
    """ "end" for the totals block's first row, "taken" for a row of the table (a product, the rest of a
    wrapped description, a charge, a carried-forward row), "skipped" for anything else."""
    cells = {
        table.perspective.get(kind, kind): words for kind, words in assign(line.words, table.columns).items()
    }
    read = product_line(cells, decimal_mark, page)
    label = _leading_label(line.words)
    if label is not None and (read is None or read.code is None):
        if label.kind in _CLOSING:
            return "end"
        for kind, amount in read_totals([line], decimal_mark).items():  # a charge inside the table
            table.charges[kind] = table.charges.get(kind, 0) + amount
    elif read is not None:
        table.lines.append(read)
        table.line_dates += [" ".join(w.text for w in cells.get("date", []))]
    elif table.lines and table.lines[-1].page == page and _continues_description(cells):
        last = table.lines[-1]
        last.description = f"{last.description} {_text(cells['description'])}".strip()
    else:
        return "skipped"
    return "taken"


def _leading_label(words: list[Word]):
    text_start = next((i for i, w in enumerate(words) if not is_number(w.text)), None)
    return None if text_start is None else total_labels().match(words[text_start:])


def _continues_description(cells: dict[str, list[Word]]) -> bool:
    return set(cells) == {"description"}


def _text(words: list[Word]) -> str:
    return " ".join(word.text for word in words)
