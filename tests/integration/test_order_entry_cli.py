"""`oms entry extract FILE --json` on a real PDF: the draft as one JSON object, and nothing created."""

import io
import json

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import insert, text
from typer.testing import CliRunner

from oms import cli
from oms.db.tables import customers
from oms.services.errors import Forbidden
from oms.services.order_entry import extract_draft
from oms.services.order_entry_models import DocumentRefused
from oms.services.uow import UnitOfWork
from tests.factories import VIEWER, add_network

runner = CliRunner()
ISSUE_KEYS = {"document_type", "document_number", "document_date", "customer", "currency", "ship_to",
              "requested_delivery_date", "lines", "total", "confidence", "warnings"}  # fmt: skip
CREATED = ("orders", "order_drafts", "inbound_payloads", "customers", "audit_events")


def purchase_order_pdf(first_description: str = "T-shirt blue L") -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    rows = [(50, 800, "Alpine Sports GmbH"), (50, 786, "buyer@alpine-sports.example"), (50, 750, "PURCHASE ORDER"),
            (50, 730, "PO Number: PO-4711"), (300, 730, "Order date: 2026-03-10"), (50, 716, "Currency: EUR"),
            (50, 690, "Ship to:"), (50, 676, "Alpine Sports Lager"), (50, 662, "Industriestrasse 5"),
            (50, 648, "85748 Garching"), (50, 634, "Germany"), (420, 520, "Total"), (500, 520, "377.00")]
    table = [("SKU", "Description", "Qty", "Unit price", "Amount"),
             ("TSH-BLU-L", first_description, "10", "19.90", "199.00"),
             ("3700000000037", "Rain jacket red M", "2", "89.00", "178.00")]  # fmt: skip
    for number, row in enumerate(table):
        rows += [(x, 590 - 16 * number, cell) for x, cell in zip((50, 140, 360, 420, 500), row, strict=True)]
    for x, y, words in rows:
        pdf.drawString(x, y, words)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


@pytest.fixture
def world(engine, monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    add_network(engine)
    with engine.begin() as conn:
        conn.execute(insert(customers), [{"email": "buyer@alpine-sports.example", "name": "Alpine Sports GmbH"}])
    (tmp_path / "po.pdf").write_bytes(purchase_order_pdf())
    return tmp_path


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in CREATED}


def test_extract_prints_the_draft_as_one_json_object_and_creates_nothing(world, engine):
    before = _counts(engine)
    result = runner.invoke(cli.app, ["entry", "extract", str(world / "po.pdf"), "--json", "--channel", "b2b"])
    assert result.exit_code == 0, result.output
    draft = json.loads(result.stdout)
    assert ISSUE_KEYS <= draft.keys()
    assert (draft["document_number"], draft["document_date"], draft["currency"]) == ("PO-4711", "2026-03-10", "EUR")
    assert (draft["customer"]["name"], draft["customer"]["id"], draft["ship_to"]["city"]) == (
        "Alpine Sports GmbH", 1, "Garching")
    assert [(line["sku"], line["quantity"], line["unit_price"], line["match_score"]) for line in draft["lines"]] == [
        ("TSH-BLU-L", 10, 19.9, 1.0), ("JKT-RED-M", 2, 89, 1.0)]
    assert draft["total"] == 377 and 0 < draft["confidence"] <= 1 and draft["problems"] == []
    assert _counts(engine) == before


def test_without_json_extract_prints_a_summary(world):
    result = runner.invoke(cli.app, ["entry", "extract", str(world / "po.pdf")])
    assert result.exit_code == 0 and "PO-4711" in result.output and "JKT-RED-M" in result.output


def test_a_missing_file_or_one_that_is_no_pdf_exits_2_with_a_message(world):
    missing = runner.invoke(cli.app, ["entry", "extract", str(world / "nowhere.pdf"), "--json"])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    (world / "bad.pdf").write_bytes(b"%PDF-1.7 this is no PDF at all")
    bad = runner.invoke(cli.app, ["entry", "extract", str(world / "bad.pdf"), "--json"])
    assert bad.exit_code == 2 and "refused" in bad.output and bad.stdout == ""


def test_the_service_refuses_people_who_may_not_capture_and_documents_that_are_no_pdf(world, engine):
    with pytest.raises(Forbidden):
        extract_draft(UnitOfWork(engine), VIEWER, purchase_order_pdf())
    with pytest.raises(DocumentRefused) as refused:
        extract_draft(UnitOfWork(engine), cli.CLI_ACTOR, b"")
    assert refused.value.errors[0].path == ("file",) and refused.value.status == 422


def test_a_refiner_reads_the_document_text_and_its_reading_is_what_is_resolved(world, engine):
    seen = []

    def refine(document_text: str, extracted):
        seen.append(document_text)
        return extracted.model_copy(update={"document_number": "PO-4711-B", "lines": extracted.lines[:1]})

    draft = extract_draft(UnitOfWork(engine), cli.CLI_ACTOR, purchase_order_pdf(), "b2b", refine)
    assert "PO Number: PO-4711" in seen[0] and "Rain jacket red M" in seen[0]
    assert (draft.document_number, [line.sku for line in draft.lines]) == ("PO-4711-B", ["TSH-BLU-L"])


def test_refresh_vectors_fills_what_rows_written_by_sql_lack(world, engine):
    result = runner.invoke(cli.app, ["entry", "refresh-vectors"])
    assert result.exit_code == 0 and "4 vector(s) written" in result.output  # three products, one customer
    assert "0 vector(s)" in runner.invoke(cli.app, ["entry", "refresh-vectors"]).output


def test_what_a_document_says_is_data_it_creates_nothing_and_runs_nothing(world, engine):
    said = "'); DROP TABLE orders; submit"
    (world / "said.pdf").write_bytes(purchase_order_pdf(said))
    before = _counts(engine)
    result = runner.invoke(cli.app, ["entry", "extract", str(world / "said.pdf"), "--json", "--channel", "b2b"])
    assert result.exit_code == 0 and json.loads(result.stdout)["lines"][0]["description"] == said
    assert _counts(engine) == before
