"""The product table of a generated document: its columns, each line's cells (a long description wrapped
over two rows), ruling lines or none, and how the lines split over pages."""

from dataclasses import dataclass

from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from evals.order_entry.formats import money, number, quantity
from evals.order_entry.spec import COLUMN_SETS, Line, Spec
from evals.order_entry.typeface import face
from evals.order_entry.vocabulary import COLUMNS, UNITS

FONT, BOLD, SIZE, ROW = "Helvetica", "Helvetica-Bold", 8.5, 12.5
WIDTHS = {"pos": 40, "code": 74, "ean": 74, "cpn": 66, "qty": 44, "unit": 40, "price": 70, "amount": 80}
NUMERIC = {"qty", "price", "amount"}
PAD = 3


@dataclass(frozen=True)
class Column:
    key: str
    x: float
    width: float

    def put(self, canvas: Canvas, baseline: float, text: str, font: str = FONT) -> None:
        canvas.setFont(font, SIZE)
        if self.key in NUMERIC:
            canvas.drawRightString(self.x + self.width - PAD, baseline, text)
        else:
            canvas.drawString(self.x + PAD, baseline, text)


def columns(spec: Spec, left: float, width: float) -> list[Column]:
    keys = COLUMN_SETS[spec.columns]
    fixed = sum(WIDTHS[k] for k in keys if k != "desc")
    placed, x = [], left
    for key in keys:
        w = WIDTHS.get(key, width - fixed)
        placed.append(Column(key, x, w))
        x += w
    return placed


def description_rows(spec: Spec, line: Line, cols: list[Column]) -> list[str]:
    desc = next(c for c in cols if c.key == "desc")
    return simpleSplit(line.product.name, face(spec.typeface, FONT), SIZE, desc.width - 2 * PAD)


def cells(spec: Spec, line: Line, position: int) -> dict[str, str]:
    style = spec.style
    price = money if spec.money_cells else (lambda value, s: number(value, s.numbers))
    return {"pos": str(position), "code": line.product.sku, "ean": line.product.barcode,
            "cpn": line.customer_part, "qty": quantity(line.quantity, style.numbers),
            "unit": UNITS[style.language], "price": price(line.product.price, style),
            "amount": price(line.total, style)}  # fmt: skip


def header(spec: Spec, cols: list[Column]) -> dict[str, str]:
    titles = {c.key: spec.word(COLUMNS[c.key]) for c in cols}
    if spec.label_choice == 1 and not spec.money_cells:
        titles["amount"] += f" {spec.style.currency}"
    return titles


def draw_row(
    canvas: Canvas, spec: Spec, cols: list[Column], top: float, rows: list[dict], bold=False
) -> float:
    """Draws text rows from `top` down, each a dict of column key to text; returns the new top."""
    for row in rows:
        for col in cols:
            if row.get(col.key):
                col.put(canvas, top - 9, row[col.key], BOLD if bold else FONT)
        top -= ROW
    if spec.ruled:
        canvas.line(cols[0].x, top, cols[-1].x + cols[-1].width, top)
    return top


def draw_grid(canvas: Canvas, cols: list[Column], top: float, bottom: float) -> None:
    """The vertical rules of a ruled table, and its top edge."""
    right = cols[-1].x + cols[-1].width
    canvas.line(cols[0].x, top, right, top)
    for x in [c.x for c in cols] + [right]:
        canvas.line(x, top, x, bottom)


def paginate(heights: list[int], first: int, others: int, closing: int) -> list[list[int]]:
    """Line indexes per page, given each line's height in rows and each page's room in rows. A page
    that continues keeps a row for its carried-forward total; the closing block (totals and note) goes
    on a page of its own when the last one has no room for it."""
    pages, current, room = [], [], first
    for index, height in enumerate(heights):
        if height > room - 1 and current:
            pages.append(current)
            current, room = [], others
        current.append(index)
        room -= height
    pages.append(current)
    if room < closing:
        pages.append([])
    return pages
