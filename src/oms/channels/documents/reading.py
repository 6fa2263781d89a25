"""Reading a PDF page by page into words with positions grouped into lines: pdfplumber for text pages,
Tesseract for image-only pages. Each page's parsed objects are released before the next is opened, so a
200-page file costs no more memory than its words. Anything unreadable is a DocumentFailure."""

import io
from collections.abc import Iterator

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from oms.channels.documents.layout import Page, Word, group_lines
from oms.channels.documents.model import DocumentFailure
from oms.channels.documents.ocr import installed_languages, ocr_words


def read_pages(content: bytes, max_pages: int = 500) -> Iterator[Page]:
    """The document's pages with their lines, in order; pages without any word are skipped."""
    pdf = _open(content)
    try:
        count = len(pdf.pages)
        _check_page_count(count, max_pages)
        scans = _Scans(content)
        read_any = False
        try:
            for index in range(count):
                page = _read_page(pdf, index, scans)
                read_any = read_any or bool(page.lines)
                yield page
        finally:
            scans.close()
        if not read_any:
            raise _nothing_read(scans.used)
    finally:
        pdf.close()


def _nothing_read(ocr_used: bool) -> DocumentFailure:
    if ocr_used:
        return DocumentFailure("no_text", "the PDF's pages are scanned images and OCR read no text on them")
    return DocumentFailure("empty", "the PDF has no text on any page: nothing to read")


def _open(content: bytes) -> pdfplumber.PDF:
    if not content.lstrip()[:5].startswith(b"%PDF"):
        raise DocumentFailure("malformed", "this file is not a PDF (it does not start with %PDF)")
    try:
        return pdfplumber.open(io.BytesIO(content))
    except PdfminerException as error:
        if error.args and isinstance(error.args[0], PDFPasswordIncorrect):
            raise DocumentFailure(
                "encrypted", "the PDF is password protected: save it without a password and upload it again"
            ) from error
        raise DocumentFailure("malformed", f"the PDF is damaged and cannot be read ({error})") from error
    except Exception as error:
        raise DocumentFailure("malformed", f"the PDF is damaged and cannot be read ({error})") from error


def _check_page_count(count: int, max_pages: int) -> None:
    if count == 0:
        raise DocumentFailure("empty", "the PDF has no pages")
    if count > max_pages:
        raise DocumentFailure(
            "too_many_pages",
            f"the PDF has {count} pages, more than the {max_pages} allowed: split it and upload the parts",
        )


def _read_page(pdf: pdfplumber.PDF, index: int, scans: "_Scans") -> Page:
    page = pdf.pages[index]
    try:
        words = _text_words(page)
        unmapped = sum(_UNMAPPED in word.text for word in words)
        ocr = (not words and bool(page.images)) or unmapped > len(words) / 2  # a scan, or glyphs, not letters
        if ocr:
            words = scans.words(index)
        return Page(index + 1, float(page.width), float(page.height), group_lines(words), ocr)
    except DocumentFailure:
        raise
    except Exception as error:
        raise DocumentFailure("malformed", f"page {index + 1} of the PDF is damaged ({error})") from error
    finally:
        page.close()  # drops the page's parsed layout, which pdfplumber would otherwise keep


_UNMAPPED = "(cid:"  # pdfminer's stand-in for a glyph whose font has no mapping to letters


def _text_words(page) -> list[Word]:
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, extra_attrs=["size"])
    return [Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"]) for w in words]


class _Scans:
    """Opens the document for rendering only when a scanned page turns up."""

    def __init__(self, content: bytes):
        self._content = content
        self._document: pypdfium2.PdfDocument | None = None
        self._languages = ""

    @property
    def used(self) -> bool:
        return self._document is not None

    def words(self, index: int) -> list[Word]:
        if self._document is None:
            self._languages = installed_languages()
            self._document = pypdfium2.PdfDocument(self._content)
        return ocr_words(self._document, index, self._languages)

    def close(self) -> None:
        if self._document is not None:
            self._document.close()
