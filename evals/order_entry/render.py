"""Writes a Spec as a PDF with reportlab: letterhead, title and header fields, the parties, the table over
as many pages as it takes (carried-forward rows at each page's foot and head, the column header
repeated), the totals block, a note, and a footer of bank details and page numbers on every page."""

import io

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas

from evals.order_entry import table
from evals.order_entry.formats import money, number
from evals.order_entry.header import MARGIN, first_page_header
from evals.order_entry.spec import Spec
from evals.order_entry.table import BOLD, FONT, ROW
from evals.order_entry.typeface import TypefaceCanvas
from evals.order_entry.vocabulary import LABELS, TOTALS

BOTTOM = 70


def render(spec: Spec) -> bytes:
    size = LETTER if spec.ship_to["country"] == "US" else A4
    buffer = io.BytesIO()
    canvas = TypefaceCanvas(buffer, pagesize=size, invariant=1, typeface=spec.typeface)
    width, height = size
    cols = table.columns(spec, MARGIN, width - 2 * MARGIN)
    rows = [table.description_rows(spec, line, cols) for line in spec.lines]
    first_top = first_page_header(canvas, spec, width, height)
    pages = _paginate(spec, rows, first_top, height)
    carried = 0
    for number_, indexes in enumerate(pages, start=1):
        top = first_top if number_ == 1 else _next_page_header(canvas, spec, cols, height, carried)
        top = _draw_lines(canvas, spec, cols, top, indexes, rows)
        carried += sum(spec.lines[i].total for i in indexes)
        if number_ < len(pages):
            table.draw_row(canvas, spec, cols, top, [_carried_row(spec, "carried", carried)])
        else:
            _draw_totals(canvas, spec, cols, top - ROW)
        _footer(canvas, spec, width, number_, len(pages))
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _paginate(spec: Spec, rows: list[list[str]], first_top: float, height: float) -> list[list[int]]:
    first, others = (first_top - ROW - BOTTOM) // ROW, (height - 90 - 2 * ROW - BOTTOM) // ROW
    closing = len(_totals(spec)) + 2 + (2 if spec.note else 0)  # a row apart, and the note
    return table.paginate([len(r) for r in rows], int(first), int(others), closing)


def _next_page_header(canvas: Canvas, spec: Spec, cols, height: float, carried) -> float:
    canvas.setFont(BOLD, 10)
    canvas.drawString(MARGIN, height - 50, f"{spec.sender['name']} - {spec.number}")
    top = table.draw_row(canvas, spec, cols, height - 70, [_carried_row(spec, "brought", carried)])
    return top


def _draw_lines(canvas: Canvas, spec: Spec, cols, top: float, indexes: list[int], rows) -> float:
    start = top
    top = table.draw_row(canvas, spec, cols, top, [table.header(spec, cols)], bold=True)
    for i in indexes:
        first = table.cells(spec, spec.lines[i], i + 1) | {"desc": rows[i][0]}
        top = table.draw_row(canvas, spec, cols, top, [first] + [{"desc": more} for more in rows[i][1:]])
    if spec.ruled:
        table.draw_grid(canvas, cols, start, top)
    return top


def _carried_row(spec: Spec, wording: str, amount) -> dict[str, str]:
    return {"desc": spec.word(TOTALS[wording]), "amount": number(amount, spec.style.numbers)}


def _totals(spec: Spec) -> list[tuple[str, str]]:
    """The totals block's rows, label and amount; the total's with its currency."""
    numbers, word = spec.style.numbers, spec.word
    rows = [(word(TOTALS["subtotal"]), number(spec.subtotal, numbers))]
    if spec.discount_rate:
        rows.append((f"{word(TOTALS['discount'])} {spec.discount_rate} %", number(-spec.discount, numbers)))
    if spec.shipping:
        rows.append((word(TOTALS["shipping"]), number(spec.shipping, numbers)))
    rate = number(spec.tax_rate, numbers, 1 if spec.tax_rate % 1 else 0)
    return rows + [(f"{word(TOTALS['tax'])} {rate} %", number(spec.tax, numbers)),
                   (word(TOTALS["total"]), money(spec.total, spec.style))]  # fmt: skip


def _draw_totals(canvas: Canvas, spec: Spec, cols, top: float) -> None:
    rows, right = _totals(spec), cols[-1].x + cols[-1].width - 3
    for i, (name, value) in enumerate(rows):
        canvas.setFont(BOLD if i == len(rows) - 1 else FONT, 9)
        canvas.drawString(right - 250, top - ROW * i, name)
        canvas.drawRightString(right, top - ROW * i, value)
    if spec.note:
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, top - ROW * (len(rows) + 1), f"{spec.word(LABELS['note'])}: {spec.note}")


def _footer(canvas: Canvas, spec: Spec, width: float, page: int, pages: int) -> None:
    language = spec.style.language
    canvas.setFont(FONT, 7)
    canvas.drawString(
        MARGIN, 40, f"IBAN DE89 3704 0044 0532 0130 00 - BIC COBADEFFXXX - {spec.sender['name']}"
    )
    page_label = f"{LABELS['page'][language][0]} {page} {LABELS['of'][language][0]} {pages}"
    canvas.drawRightString(width - MARGIN, 28, page_label)
