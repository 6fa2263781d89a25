"""The order-entry evaluation (evals/order_entry): its generated documents say what their truth says and
add up, the scorer counts a wrong line or field as a hand count does, and the extractor reaches the goals
on a small fixed set of text PDFs (field accuracy and line F1 >= 0.95)."""

import io
import sys
from collections import defaultdict
from decimal import Decimal
from itertools import pairwise

import pdfplumber
import pytest

from evals.order_entry.catalogue import catalogue, write_csv
from evals.order_entry.generate import generate
from evals.order_entry.report import figures, print_report
from evals.order_entry.run import evaluate, main, run_one
from evals.order_entry.score import score
from evals.order_entry.unseen import swapped
from evals.order_entry.vocabulary import COLUMNS, LANGUAGES, TOTALS
from oms.channels.documents.extract import extract_document
from oms.channels.documents.model import DocumentFailure, ExtractedDocument, ExtractedLine, Party
from oms.services.actor import SYSTEM
from oms.services.imports import import_rows, read_csv
from oms.services.uow import UnitOfWork

SKUS = ["PEN-BLU-0101", "PAP-WHT-0305", "FIL-BLK-0150", "DSK-RED-0405"]


@pytest.fixture(scope="module")
def samples():
    return generate(count=24, seed=11, scanned=1, letter_count=2)


def _document(lines: list[tuple[str, str, str]], **fields) -> ExtractedDocument:
    return ExtractedDocument(
        lines=[ExtractedLine(code=c, quantity=Decimal(q), unit_price=Decimal(p)) for c, q, p in lines],
        **fields,
    )


TRUTH = _document(
    [(s, "2", "4.50") for s in SKUS],
    document_number="PO-1",
    buyer=Party(name="Weber Handel GmbH"),
    ship_to=Party(name="Weber Handel GmbH", city="Köln", country="DE"),
    total=Decimal("36.00"),
)


def test_one_line_of_four_with_a_wrong_quantity_gives_an_f1_of_three_quarters():
    found = TRUTH.model_copy(
        update={"lines": TRUTH.lines[:3] + [TRUTH.lines[3].model_copy(update={"quantity": 3})]}
    )
    result = score(TRUTH, SKUS, found)
    assert (result.matched, result.extracted, result.expected) == (3, 4, 4)
    assert result.line_f1 == pytest.approx(0.75)
    assert "line missed: DSK-RED-0405 x2 @ 4.50" in result.mistakes


def test_a_line_read_twice_lowers_precision_only():
    found = TRUTH.model_copy(update={"lines": TRUTH.lines + TRUTH.lines[:1]})
    result = score(TRUTH, SKUS, found)
    assert (result.matched, result.extracted) == (4, 5)
    assert result.line_f1 == pytest.approx(2 * 0.8 * 1.0 / 1.8)


def test_fields_ignore_case_spaces_and_trailing_zeros_but_not_a_wrong_city():
    ship_to = Party(name="weber  handel gmbh", city="Bonn", country="de")
    found = TRUTH.model_copy(update={"ship_to": ship_to, "total": Decimal(36), "document_number": " po-1 "})
    result = score(TRUTH, SKUS, found)
    assert [name for name, ok in result.fields.items() if not ok] == ["ship_to.city"]
    assert result.field_accuracy == pytest.approx(11 / 12)


def test_a_barcode_printed_for_a_line_counts_as_its_sku():
    by_barcode = _document([("4000000000006", "2", "4.50")])
    assert score(by_barcode, ["PEN-BLU-0101"], _document([("PEN-BLU-0101", "2", "4.50")])).matched == 1


def test_the_truth_scores_one_everywhere(samples):
    truths = {sample.pdf: sample.truth for sample in samples}
    report = figures(evaluate(samples, truths.__getitem__))
    assert (report.field_accuracy, report.f1) == (1.0, 1.0)


def test_an_extractor_that_refuses_a_document_scores_nothing_and_says_why(samples):
    def refuse(content: bytes) -> ExtractedDocument:
        raise DocumentFailure("malformed", "not a PDF")

    result = run_one(samples[0], refuse)
    assert result.error == "malformed: not a PDF" and result.score.matched == 0
    assert result.score.field_accuracy < 0.5


def test_every_generated_document_adds_up(samples):
    for sample in samples:
        doc = sample.truth
        assert all(line.line_total == line.quantity * line.unit_price for line in doc.lines)
        assert doc.subtotal == sum(line.line_total for line in doc.lines)
        assert doc.total == doc.subtotal - (doc.discount or 0) + (doc.shipping or 0) + (doc.tax or 0)


def test_no_generated_text_runs_over_other_text():
    for sample in generate(count=30, seed=7, letter_count=2):
        with pdfplumber.open(io.BytesIO(sample.pdf)) as pdf:
            rows = [_rows(page.chars) for page in pdf.pages]
        overlaps = [
            row for page in rows for row in page if any(b["x0"] < a["x1"] - 1 for a, b in pairwise(row))
        ]
        assert not overlaps, f"{sample.name}: {''.join(c['text'] for c in overlaps[0])}"


def _rows(chars: list[dict]) -> list[list[dict]]:
    rows = defaultdict(list)
    for char in chars:
        rows[round(char["top"])].append(char)
    return [sorted(row, key=lambda c: c["x0"]) for row in rows.values()]


def test_a_long_table_runs_over_pages_with_carried_forward_rows_and_its_header_repeated(samples):
    long = next(s for s in samples if s.kind == "text" and len(s.truth.lines) > 40)
    with pdfplumber.open(io.BytesIO(long.pdf)) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    carried, brought = TOTALS["carried"][long.language][0], TOTALS["brought"][long.language][0]
    quantity = next(title for title in COLUMNS["qty"][long.language] if title in texts[0])
    assert len(texts) >= 2 and carried in texts[0]
    assert all(
        brought in text and quantity in text and long.truth.document_number in text for text in texts[1:]
    )
    assert all(line.code in "".join(texts) for line in long.truth.lines)


def test_scans_have_no_text_layer_and_the_same_seed_gives_the_same_documents(samples):
    scan = next(s for s in samples if s.kind == "scan")
    with pdfplumber.open(io.BytesIO(scan.pdf)) as pdf:
        assert not pdf.pages[0].chars
    again = generate(count=24, seed=11, scanned=1, letter_count=2)
    assert [(s.pdf, s.truth_json()) for s in again] == [(s.pdf, s.truth_json()) for s in samples]


def test_the_generated_catalogue_imports_whole_as_oms_catalog_import_takes_it(engine, tmp_path):
    products = catalogue(seed=11)
    rows = read_csv(write_csv(products, tmp_path / "catalogue.csv"), "catalog")
    report = import_rows(UnitOfWork(engine), SYSTEM, "catalog", rows)
    assert (report.errors, report.ignored_columns, report.imported) == ([], [], len(products))


def test_the_extractor_reaches_the_goals_on_text_pdfs():
    results = evaluate(generate(count=24, seed=5), extract_document)
    out = io.StringIO()
    print_report(results, out)
    report = figures(results)
    assert report.field_accuracy >= 0.95 and report.f1 >= 0.95, out.getvalue()


def test_the_runner_writes_the_documents_and_prints_the_report(tmp_path, capsys):
    status = main(["--count", "6", "--seed", "3", "--letters", "1", "--out", str(tmp_path)])
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert (
        "== text:    6 docs" in printed
        and "== letter:    1 docs" in printed
        and "goals on text PDFs" in printed
    )
    assert len(list(tmp_path.glob("*.pdf"))) == 7 and (tmp_path / "catalogue.csv").exists()


def test_the_runner_says_so_when_there_is_no_extractor(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "oms.channels.documents.extract", None)
    with pytest.raises(SystemExit) as exit_:
        main(["--count", "1"])
    assert exit_.value.code == 2 and "the extractor cannot be imported" in capsys.readouterr().err


def test_an_unseen_wording_is_printed_while_swapped_and_gone_after():
    with swapped("COLUMNS", {"qty": {language: ["Stückzahl"] for language in LANGUAGES}}):
        inside = generate(count=1, seed=3)[0]
    after = generate(count=1, seed=3)[0]
    assert "Stückzahl" in _text(inside.pdf) and "Stückzahl" not in _text(after.pdf)


def _text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "".join(page.extract_text() for page in pdf.pages)
