"""Documents set in another typeface than Helvetica: a canvas that swaps the font names the drawing code
asks for, so the layout code names one family and each document still chooses its own."""

from reportlab.pdfgen.canvas import Canvas

TYPEFACES = {
    "helvetica": {},
    "times": {"Helvetica": "Times-Roman", "Helvetica-Bold": "Times-Bold"},
}


def face(typeface: str, font: str) -> str:
    return TYPEFACES[typeface].get(font, font)


class TypefaceCanvas(Canvas):
    def __init__(self, *args, typeface: str = "helvetica", **kwargs):
        super().__init__(*args, **kwargs)
        self.typeface = typeface

    def setFont(self, psfontname, size, leading=None):  # reportlab names it so
        super().setFont(face(self.typeface, psfontname), size, leading)

    def stringWidth(self, text, fontName=None, fontSize=None):  # reportlab names them so
        return super().stringWidth(text, fontName and face(self.typeface, fontName), fontSize)
