"""A page drawn the way an ERP prints it: text placed from the page's top-left, bold or not, left- or
right-aligned, rules and boxes; several pages in one PDF."""

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True)
class Column:
    x: float  # the left edge, or the right edge of a right-aligned column
    right: bool = False


class Sheet:
    def __init__(self, pagesize=A4):
        self._buffer = io.BytesIO()
        self._canvas = Canvas(self._buffer, pagesize=pagesize, invariant=1)
        self.width, self.height = pagesize

    def text(self, x: float, top: float, value: str, size: float = 9, bold: bool = False, right=False):
        self._canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        draw = self._canvas.drawRightString if right else self._canvas.drawString
        draw(x, self.height - top, value)

    def block(self, x: float, top: float, lines: list[str], step: float = 11, size: float = 9, bold=False):
        """Lines under each other (an address); with `bold`, the first one (a block's title) is bold."""
        for i, line in enumerate(lines):
            self.text(x, top + step * i, line, size, bold and i == 0)

    def row(self, columns: list[Column], cells: list[str], top: float, size: float = 8.5, bold=False):
        for column, cell in zip(columns, cells, strict=True):
            if cell:
                self.text(column.x, top, cell, size, bold, column.right)

    def rule(self, x1: float, x2: float, top: float, width: float = 0.5):
        self._canvas.setLineWidth(width)
        self._canvas.line(x1, self.height - top, x2, self.height - top)

    def box(self, x: float, top: float, width: float, height: float, fill: float | None = None):
        """A rectangle; `fill` is a grey level (0 black, 1 white) for a shaded header band."""
        if fill is not None:
            self._canvas.setFillGray(fill)
        self._canvas.rect(x, self.height - top - height, width, height, stroke=1, fill=fill is not None)
        self._canvas.setFillGray(0)

    def next_page(self):
        self._canvas.showPage()

    def pdf(self) -> bytes:
        self._canvas.showPage()
        self._canvas.save()
        return self._buffer.getvalue()
