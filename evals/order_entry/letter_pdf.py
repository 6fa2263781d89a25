"""A one-page business letter as a PDF: letterhead, place and date, then paragraphs wrapped to the page."""

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from evals.order_entry import parties

FONT, SIZE, LEADING, MARGIN = "Helvetica", 10, 14, 60


def write_letter(sender: dict, place_and_date: str, paragraphs: list[str]) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    _letterhead(canvas, sender, height)
    canvas.setFont(FONT, SIZE)
    canvas.drawRightString(width - MARGIN, height - 130, place_and_date)
    y = height - 170
    for paragraph in paragraphs:
        for row in simpleSplit(paragraph, FONT, SIZE, width - 2 * MARGIN):
            canvas.drawString(MARGIN, y, row)
            y -= LEADING
        y -= LEADING / 2
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _letterhead(canvas: Canvas, sender: dict, height: float) -> None:
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawString(MARGIN, height - 60, sender["name"])
    canvas.setFont(FONT, 8)
    for i, text in enumerate(parties.printed(sender, "en")[1:3]):
        canvas.drawString(MARGIN, height - 74 - 10 * i, text)
