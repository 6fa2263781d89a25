"""The first page's top: the letterhead, the title, the header fields (a block at the right, a strip of
label-value pairs across the page, or boxes with the label above the value) and the parties' blocks."""

from reportlab.pdfgen.canvas import Canvas

from evals.order_entry import parties
from evals.order_entry.formats import date
from evals.order_entry.spec import Spec
from evals.order_entry.table import BOLD, FONT
from evals.order_entry.vocabulary import LABELS, NUMBER_LABELS, TITLES

MARGIN, BLOCK = 40, 11


def first_page_header(canvas: Canvas, spec: Spec, width: float, height: float) -> float:
    """Draws it and returns where the table may start."""
    top = height - 50
    canvas.setFont(BOLD, 13)
    canvas.drawString(MARGIN, top, spec.sender["name"])
    canvas.setFont(FONT, 8)
    for i, text in enumerate(parties.printed(spec.sender, spec.style.language)[1:] + [_contact(spec)]):
        canvas.drawString(MARGIN, top - 12 - 10 * i, text)
    canvas.setFont(BOLD, 15)
    canvas.drawRightString(width - MARGIN, top, spec.word(TITLES[spec.kind]))
    if spec.header_style == "block":
        _block(canvas, header_fields(spec), width - 240, top - 24)
        return _parties(canvas, spec, width, top - 110)
    if spec.supplier:  # where an envelope's window shows the addressee
        _supplier(canvas, spec, width - 240, top - 24)
    below = _parties(canvas, spec, width, top - 80)
    draw = _strip if spec.header_style == "strip" else _boxes
    return draw(canvas, header_fields(spec), width, below) - 16


def header_fields(spec: Spec) -> list[tuple[str, str]]:
    fields = [
        (spec.word(NUMBER_LABELS[spec.kind]), spec.number),
        (spec.word(LABELS["date"]), date(spec.date, spec.style)),
    ]
    if spec.delivery:
        fields.append((spec.word(LABELS["delivery"]), date(spec.delivery, spec.style)))
    if spec.customer_no:
        fields.append((spec.word(LABELS["customer_no"]), spec.customer_no))
    if spec.label_choice == 2 or not spec.style.symbol:  # else the symbols say it
        fields.append((spec.word(LABELS["currency"]), spec.style.currency))
    return fields


def _block(canvas: Canvas, fields: list[tuple[str, str]], x: float, top: float) -> None:
    for i, (name, value) in enumerate(fields):
        canvas.setFont(BOLD, 8.5)
        canvas.drawString(x, top - 12 * i, f"{name}:")
        canvas.setFont(FONT, 8.5)
        canvas.drawString(x + 100, top - 12 * i, value)


def _strip(canvas: Canvas, fields: list[tuple[str, str]], width: float, top: float) -> float:
    """Two pairs a row: "Label: value" then the next pair half a page further."""
    for i, (name, value) in enumerate(fields):
        x, y = MARGIN + (width / 2 - MARGIN) * (i % 2), top - 12 * (i // 2)
        canvas.setFont(FONT, 9)
        canvas.drawString(x, y, f"{name}: {value}")
    return top - 12 * ((len(fields) + 1) // 2)


def _boxes(canvas: Canvas, fields: list[tuple[str, str]], width: float, top: float) -> float:
    """One box per field across the page, its label small above its value, each as wide as its text
    needs and the space left shared out."""
    needs = [
        max(canvas.stringWidth(name, FONT, 7), canvas.stringWidth(value, BOLD, 9)) + 8
        for name, value in fields
    ]
    spare = (width - 2 * MARGIN - sum(needs)) / len(fields)
    x = MARGIN
    for (name, value), need in zip(fields, needs, strict=True):
        canvas.rect(x, top - 26, need + spare, 30)
        canvas.setFont(FONT, 7)
        canvas.drawString(x + 3, top - 5, name)
        canvas.setFont(BOLD, 9)
        canvas.drawString(x + 3, top - 19, value)
        x += need + spare
    return top - 30


def _supplier(canvas: Canvas, spec: Spec, x: float, top: float) -> None:
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(x, top, spec.word(LABELS["supplier"]))
    canvas.setFont(FONT, 8.5)
    for i, text in enumerate(parties.printed(spec.supplier, spec.style.language)):
        canvas.drawString(x, top - 10 * (i + 1), text)


def _contact(spec: Spec) -> str:
    return f"Tel. +{31 + len(spec.sender['city'])} {len(spec.number)}0 555 01 {len(spec.lines):02d}"


def _parties(canvas: Canvas, spec: Spec, width: float, top: float) -> float:
    language = spec.style.language
    blocks = [(spec.word(LABELS["ship_to"]), spec.ship_to)]
    if spec.bill_to:
        blocks.insert(0, (spec.word(LABELS["bill_to"]), spec.bill_to))
    side_by_side = spec.parties == "side-by-side"
    for i, (title, party) in enumerate(blocks):
        x = MARGIN + (width / 2 * i if side_by_side else 0)
        y = top if side_by_side else top - 62 * i
        canvas.setFont(BOLD, 9)
        canvas.drawString(x, y, title)
        canvas.setFont(FONT, 9)
        for j, text in enumerate(parties.printed(party, language)):
            canvas.drawString(x, y - BLOCK * (j + 1), text)
    depth = 62 if side_by_side else 62 * len(blocks)
    return top - depth - 14
