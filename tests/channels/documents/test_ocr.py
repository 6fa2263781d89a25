"""The OCR path's own steps: rules wiped from a scan, and a page scanned askew read straight."""

import numpy as np
import pytest
from PIL import Image

from oms.channels.documents.extract import extract_document
from oms.channels.documents.ruling import without_rules
from tests.channels.documents.pdfs import Column, Text, pdf, scanned, table


def test_rules_are_wiped_and_glyph_sized_marks_kept():
    page = np.full((300, 400), 255, dtype=np.uint8)
    page[100:103, 20:380] = 0  # a ruling line
    page[10:290, 200:202] = 0  # a box's side
    page[150:180, 50:70] = 0  # a glyph-sized mark
    cleaned = np.asarray(without_rules(Image.fromarray(page)))
    assert cleaned[101, 300] == 255 and cleaned[250, 201] == 255
    assert cleaned[160, 60] == 0


@pytest.mark.usefixtures("tesseract")
def test_a_table_scanned_askew_is_read_row_by_row():
    columns = [
        Column(40),
        Column(140),
        Column(420, right=True),
        Column(490, right=True),
        Column(560, right=True),
    ]
    rows = [["Item code", "Description", "Qty", "Unit price", "Amount"]]
    rows += [
        [f"AB-{n}00", f"Blue ballpoint pen box {n}", str(n), "4.50", f"{4.5 * n:.2f}"] for n in (2, 3, 4)
    ]
    content = pdf([[Text(40, 60, "PURCHASE ORDER", 16), *table(columns, rows, 120, step=16)]])
    document = extract_document(scanned(content, 0.8))
    assert document.ocr is True
    assert [(line.code, line.quantity) for line in document.lines] == [
        ("AB-200", 2),
        ("AB-300", 3),
        ("AB-400", 4),
    ]
