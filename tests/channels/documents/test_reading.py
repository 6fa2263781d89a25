"""Reading PDFs: words by page and line, scans through Tesseract, and a clear failure for every file that
is no readable document."""

import resource

import pytesseract
import pytest

from oms.channels.documents.extract import document_text, extract_document
from oms.channels.documents.model import DocumentFailure
from oms.channels.documents.reading import read_pages
from tests.channels.bounded import run_within
from tests.channels.documents.pdfs import Column, Text, block, pdf, scanned, table


def _failure(content: bytes, **options) -> DocumentFailure:
    with pytest.raises(DocumentFailure) as raised:
        extract_document(content, **options)
    return raised.value


def test_words_are_grouped_into_lines_top_to_bottom_with_their_positions():
    content = pdf([[Text(300, 50, "right"), Text(40, 50, "left"), Text(40, 80, "below", size=12)]])
    (page,) = read_pages(content)
    assert [line.text for line in page.lines] == ["left right", "below"]
    assert page.lines[1].words[0].size == pytest.approx(12)
    assert page.lines[0].words[0].x0 == pytest.approx(40)


@pytest.mark.parametrize("content", [b"hello, I am no PDF", b"", b"%PDF-1.4\n1 0 obj garbage"])
def test_a_file_that_is_no_pdf_is_malformed(content):
    assert _failure(content).code == "malformed"


def test_a_truncated_pdf_is_malformed():
    content = pdf([[Text(40, 50, "Purchase order")]])
    assert _failure(content[: len(content) // 3]).code == "malformed"


def test_a_password_protected_pdf_says_so():
    failure = _failure(pdf([[Text(40, 50, "Purchase order")]], encrypt="secret"))
    assert failure.code == "encrypted" and "password" in failure.message


def test_a_pdf_without_any_text_is_empty():
    failure = _failure(pdf([[], []]))
    assert failure.code == "empty" and "no text" in failure.message


def test_more_pages_than_allowed_are_refused_before_reading():
    failure = _failure(pdf([[Text(40, 50, f"page {n}")] for n in range(4)]), max_pages=3)
    assert failure.code == "too_many_pages" and "4 pages" in failure.message


_SCAN_PAGE = [
    Text(40, 60, "PURCHASE ORDER", 16),
    Text(40, 90, "PO number: 4500012345", 11),
    *block(40, 130, ["Ship to:", "Weber Handel GmbH", "Hauptstrasse 12", "50667 Koeln"]),
]


@pytest.mark.usefixtures("tesseract")
def test_a_scanned_page_is_read_by_ocr():
    document = extract_document(scanned(pdf([_SCAN_PAGE])))
    assert document.ocr is True
    assert document.document_number == "4500012345"
    assert document.ship_to.postal_code == "50667"


def test_a_scan_without_tesseract_says_what_to_install(monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    failure = _failure(scanned(pdf([_SCAN_PAGE])))
    assert failure.code == "no_text" and "tesseract-ocr" in failure.message


def test_document_text_gives_the_lines_page_by_page_within_a_limit():
    content = pdf([[Text(40, 50, "first page")], [Text(40, 50, "second page")]])
    assert document_text(content) == "--- page 1 ---\nfirst page\n--- page 2 ---\nsecond page"
    assert len(document_text(content, max_chars=20)) == 20


def _long_order(pages: int) -> bytes:
    columns = [
        Column(40),
        Column(110),
        Column(360, right=True),
        Column(430, right=True),
        Column(520, right=True),
    ]
    rows = [[f"SKU-{i:03d}", f"Widget {i}", "2", "1.50", "3.00"] for i in range(12)]
    page = table(columns, [["Item code", "Description", "Qty", "Unit price", "Amount"], *rows], 100)
    return pdf([[Text(40, 50, "PURCHASE ORDER", 14), *page] for _ in range(pages)])


def _peak_growth_of_extracting(content: bytes) -> tuple[float, int]:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    lines = len(extract_document(content).lines)
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024, lines


@pytest.mark.slow
def test_a_200_page_pdf_is_read_in_bounded_memory():
    content = _long_order(200)
    growth_mb, lines = run_within(300, lambda: _peak_growth_of_extracting(content))
    assert lines == 200 * 12
    assert growth_mb < 200


@pytest.mark.usefixtures("tesseract")
def test_glyphs_without_letters_are_read_by_ocr_instead():
    """pdfminer prints "(cid:N)" for a glyph its font does not map to a letter: the page is read as an
    image instead."""
    (page,) = read_pages(pdf([[Text(40, 60, "(cid:36)(cid:37) (cid:38) 4711", size=16)]]))
    assert page.ocr is True
    assert "4711" in [word.text for line in page.lines for word in line.words]
