"""Small PDFs for the document tests, written with reportlab: text placed at given points (from the
page's top-left), optionally as a table of left- and right-aligned columns, optionally encrypted."""

import io
from dataclasses import dataclass

import pypdfium2
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

WIDTH, HEIGHT = A4


@dataclass(frozen=True)
class Text:
    x: float
    top: float
    text: str
    size: float = 9
    right: bool = False  # x is the right edge (numbers in a table)


def pdf(pages: list[list[Text]], encrypt: str | None = None) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, encrypt=encrypt)
    for page in pages:
        for item in page:
            canvas.setFont("Helvetica", item.size)
            draw = canvas.drawRightString if item.right else canvas.drawString
            draw(item.x, HEIGHT - item.top, item.text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def block(x: float, top: float, lines: list[str], step: float = 11) -> list[Text]:
    """Lines of text under each other (an address block, a header)."""
    return [Text(x, top + step * i, line) for i, line in enumerate(lines)]


@dataclass(frozen=True)
class Column:
    x: float  # the left edge, or the right edge of a numeric column
    right: bool = False


def table(columns: list[Column], rows: list[list[str]], top: float, step: float = 12.5) -> list[Text]:
    """Rows of cells in columns (an empty cell prints nothing); the first row is usually the header."""
    texts = []
    for i, row in enumerate(rows):
        for column, cell in zip(columns, row, strict=True):
            if cell:
                texts.append(Text(column.x, top + step * i, cell, right=column.right))
    return texts


def scanned(content: bytes, degrees: float = 0.0) -> bytes:
    """The PDF's first page as a 200 dpi greyscale image (turned by `degrees`) alone on a page: a scan, with
    no text layer left."""
    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=200 / 72).to_pil().convert("L").rotate(degrees, fillcolor=255)
    document.close()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(WIDTH, HEIGHT))
    canvas.drawImage(ImageReader(image), 0, 0, WIDTH, HEIGHT)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
