"""Purchase orders printed the way ERPs print them (evals/order_entry/styles): each style's truth is what
it prints and adds up, and the extractor, which was not written against them, reads them to the goals."""

import io

import pdfplumber
import pytest

from evals.order_entry.report import GOAL, figures
from evals.order_entry.run import evaluate
from evals.order_entry.styles import samples
from oms.channels.documents.extract import extract_document


@pytest.fixture(scope="module")
def styles():
    return samples()


def test_every_style_prints_its_number_ship_to_total_and_line_codes(styles):
    for sample in styles:
        with pdfplumber.open(io.BytesIO(sample.pdf)) as document:
            text = "\n".join(page.extract_text() for page in document.pages)
        truth = sample.truth
        printed = [truth.document_number, truth.ship_to.name, truth.ship_to.line1, truth.ship_to.postal_code]
        assert all(value in text for value in printed), sample.name
        assert all(line.code in text for line in truth.lines), sample.name


def test_every_style_adds_up(styles):
    for sample in styles:
        truth = sample.truth
        assert sum(line.line_total for line in truth.lines) == truth.subtotal, sample.name
        assert truth.subtotal + (truth.shipping or 0) + truth.tax == truth.total, sample.name


def test_the_extractor_reads_the_styles_to_the_goals(styles):
    result = figures(evaluate(styles, extract_document))
    assert result.field_accuracy >= GOAL
    assert result.f1 >= GOAL
