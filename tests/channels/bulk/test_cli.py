"""`oms orders import` as a clerk runs it: exit codes, the summary and error table, the error report file."""

import csv

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from oms import cli
from tests.channels.bulk.changes import CAPTURE, conflict_at
from tests.channels.bulk.files import csv_file, order_rows, three_orders, xlsx_file
from tests.factories import add_network, set_stock

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    add_network(engine)
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 100)


def order_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM orders")).scalar_one()


def oms(*args: str):
    return runner.invoke(cli.app, ["orders", "import", *args], terminal_width=200)


def said(result) -> str:
    """What the command printed, as one line (rich wraps to its own idea of the terminal's width)."""
    return " ".join(result.output.split())


def test_a_good_file_is_imported_and_exits_0_and_again_is_recognised(engine, tmp_path):
    path = tmp_path / "po-week-12.xlsx"
    path.write_bytes(xlsx_file(order_rows()))

    first = oms(str(path), "--channel", "b2b")
    assert first.exit_code == 0, first.output
    assert "5 row(s), 2 order(s): 2 created, 0 captured before, 0 rejected" in said(first)
    again = oms(str(path), "--channel", "b2b")
    assert again.exit_code == 0 and "imported before" in said(again) and order_count(engine) == 2


def test_errors_are_listed_by_row_and_column_written_to_a_report_and_exit_1(engine, tmp_path):
    rows = order_rows()
    rows[1][15] = "six"  # Lumière's second line
    rows[4][14] = "TSH-GRN-XL"  # Becker's second line
    path, report = tmp_path / "orders.csv", tmp_path / "errors.csv"
    path.write_bytes(csv_file(rows, european=True))

    strict = oms(str(path), "--channel", "b2b", "--report", str(report))
    assert strict.exit_code == 1 and order_count(engine) == 0
    assert "nothing was imported" in said(strict) and "--skip-invalid" in said(strict)
    with open(report, newline="", encoding="utf-8") as f:
        written = [(r["row"], r["column"], r["order_ref"], r["code"]) for r in csv.DictReader(f)]
    assert written == [
        ("3", "quantity", "PO-2026-0412", "int_parsing"), ("6", "sku", "PO-2026-0413", "unknown_sku")
    ]  # fmt: skip
    assert "unknown or inactive SKU 'TSH-GRN-XL'" in said(strict)

    rows[1][15] = 6
    path.write_bytes(csv_file(rows, european=True))
    lenient = oms(str(path), "--channel", "b2b", "--skip-invalid", "--report", str(report))
    assert lenient.exit_code == 1 and order_count(engine) == 1
    assert "2 order(s): 1 created, 0 captured before, 1 rejected" in said(lenient)
    assert len(report.read_text().splitlines()) == 2  # header and Becker's row


def test_a_file_that_cannot_be_imported_exits_2(engine, tmp_path):
    missing = oms(str(tmp_path / "absent.csv"), "--channel", "b2b")
    assert missing.exit_code == 2 and "No such file" in said(missing)
    path = tmp_path / "orders.xlsx"
    path.write_bytes(xlsx_file(order_rows()))
    no_sheet = oms(str(path), "--channel", "b2b", "--sheet", "Sheet9")
    assert no_sheet.exit_code == 2 and "no sheet 'Sheet9'" in said(no_sheet)
    unknown = oms(str(path), "--channel", "telex")
    assert unknown.exit_code == 2 and "unknown channel 'telex'" in said(unknown)
    assert order_count(engine) == 0


def test_an_import_stopped_at_capture_says_so_and_exits_1(engine, tmp_path, monkeypatch):
    path = tmp_path / "orders.csv"
    path.write_bytes(csv_file(three_orders()))
    monkeypatch.setattr(CAPTURE, conflict_at("PO-2026-0413"))

    stopped = oms(str(path), "--channel", "b2b", "--workers", "1")
    assert stopped.exit_code == 1 and order_count(engine) == 1
    assert "3 order(s): 1 created, 0 captured before, 1 rejected" in said(stopped)
    assert "import stopped:" in said(stopped) and "import the same file again" in said(stopped)
