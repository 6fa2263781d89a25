"""A document's page as a PNG image, for staff to check a draft beside what the document shows."""

import io

import pypdfium2 as pdfium
from PIL import Image

from oms.channels.documents.model import DocumentFailure

MAX_WIDTH = 2000  # pixels: a page image for a screen, never a bitmap as large as the request asks


def page_png(content: bytes, page: int, width: int) -> bytes:
    """Page `page` (1-based) of the PDF `content`, rendered `width` pixels wide. Raises IndexError past the
    last page, DocumentFailure for a file pdfium cannot open."""
    width = max(100, min(width, MAX_WIDTH))
    document = _open(content)
    try:
        if not 1 <= page <= len(document):
            raise IndexError(f"page {page} of a document of {len(document)} page(s)")
        pdf_page = document[page - 1]
        image = pdf_page.render(scale=width / pdf_page.get_width()).to_pil()
        return _png(image)
    finally:
        document.close()


def _open(content: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as error:
        raise DocumentFailure("malformed", f"the file cannot be opened as a PDF: {error}") from error


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def page_count(content: bytes) -> int:
    document = _open(content)
    try:
        return len(document)
    finally:
        document.close()
