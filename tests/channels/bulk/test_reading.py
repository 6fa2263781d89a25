"""Reading order files as spreadsheets write them, without a database: rows numbered as the spreadsheet
shows them, header names matched loosely, numbers as a person typed them."""

import io
import time

import pytest
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference

from oms.channels.bulk import reading
from oms.channels.bulk.columns import BulkFileError
from oms.channels.bulk.reading import read_sheet
from tests.channels.bulk.files import (
    HEADER,
    csv_file,
    damaged,
    order_rows,
    text_row,
    with_sheet_xml,
    xlsx_file,
)


def test_a_comma_csv_is_read_with_header_aliases_and_spreadsheet_row_numbers():
    sheet = read_sheet(csv_file(order_rows()))

    assert sheet.format == "csv" and sheet.ignored_columns == []
    assert [row.number for row in sheet.rows] == [2, 3, 4, 5, 6]
    first = sheet.rows[0].cells
    assert first["order_ref"] == "PO-2026-0412" and first["ship_postal_code"] == "75011"
    assert first["quantity"] == "12" and first["unit_price"] == "19.9" and first["line_ref"] == "10"
    assert "unit_price" not in sheet.rows[4].cells and "customer_name" not in sheet.rows[4].cells  # blank


def test_a_european_csv_has_a_bom_semicolons_and_decimal_commas():
    rows = order_rows()
    rows[0][-1] = 1234.5  # written "1 234,50"
    sheet = read_sheet(csv_file(rows, european=True))

    assert [row.cells["unit_price"] for row in sheet.rows[:4]] == ["1234.50", "19.90", "79.50", "82.00"]
    assert sheet.rows[0].cells["order_ref"] == "PO-2026-0412"  # the BOM is not part of the first header
    assert sheet.rows[0].cells["ship_city"] == "Paris"


def test_a_decimal_point_in_a_semicolon_file_stays_a_decimal_point():
    content = "order;customer;email;address;zip;city;country;sku;qty;price\n"
    content += "A;B;b@x.fr;1 rue;75001;Paris;FR;TSH-BLU-L;2;19.90\nA;;;;;;;TSH-BLU-M;1;1.234,5\n"
    sheet = read_sheet(content.encode())
    assert [row.cells["unit_price"] for row in sheet.rows] == ["19.90", "1234.5"]


def test_blank_rows_are_skipped_but_still_counted():
    second_row = csv_file(order_rows()[1:2]).split(b"\r\n", 1)[1]
    content = csv_file(order_rows()[:1]) + b",,,,,,,,,,,,,,,,\r\n\r\n" + second_row
    sheet = read_sheet(content)
    assert [row.number for row in sheet.rows] == [2, 5]


def test_unknown_columns_are_ignored_and_named():
    header = [*HEADER, "Cost centre", ""]
    sheet = read_sheet(csv_file([row + ["CC-17", "x"] for row in order_rows()], header=header))
    assert sheet.ignored_columns == ["Cost centre"]
    assert "Cost centre" not in sheet.rows[0].cells


def test_an_xlsx_workbook_reads_numbers_as_a_person_sees_them_on_the_sheet_named():
    rows = order_rows()
    rows[1][-1] = 19.9 * 3 / 3  # a computed price: 19.900000000000002 in binary, 19.9 on screen
    content = xlsx_file(rows, sheet="PO", before=("Read me",))

    sheet = read_sheet(content, "PO")
    assert sheet.format == "xlsx" and [row.number for row in sheet.rows] == [2, 3, 4, 5, 6]
    assert [row.cells.get("unit_price") for row in sheet.rows] == ["19.9", "19.9", "79.5", "82", None]
    assert sheet.rows[0].cells["quantity"] == "12" and sheet.rows[0].cells["ship_postal_code"] == "75011"
    with pytest.raises(BulkFileError, match="no sheet 'Orders'.*Read me, PO"):
        read_sheet(content, "Orders")
    with pytest.raises(BulkFileError, match="missing required column"):
        read_sheet(content)  # the first sheet is the read-me


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (csv_file([]), "no rows"),
        (csv_file(order_rows(), header=[h for h in HEADER if h != "Qty"]), "missing required.*quantity"),
        (csv_file(order_rows(), header=["Qty", *HEADER[1:]]), "'quantity' is given twice"),
        ("order_ref;sku\nA;é".encode("latin-1"), "not UTF-8"),
        (b"PK\x03\x04 not really a workbook", "not a readable XLSX"),
        (damaged(xlsx_file(order_rows())), "not a readable XLSX"),
        (damaged(xlsx_file(order_rows()), "xl/workbook.xml"), "not a readable XLSX"),
        (xlsx_file(order_rows())[:-300], "not a readable XLSX"),  # cut short
        (with_sheet_xml(xlsx_file(order_rows()), rows_after='<row r="7"><c r="A7" t="s"><v>9</v></c></row>'),
         "not a readable XLSX"),  # a shared string that is not there
    ],
)
def test_a_file_that_cannot_be_imported_at_all_says_why(content, message):
    with pytest.raises(BulkFileError, match=message):
        read_sheet(content)


def test_a_csv_has_no_sheet_to_choose():
    with pytest.raises(BulkFileError, match="no sheets"):
        read_sheet(csv_file(order_rows()), "Orders")


def test_a_file_of_too_many_rows_is_refused(monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 4)
    with pytest.raises(BulkFileError, match="more than 4 rows"):
        read_sheet(csv_file(order_rows()))


def test_an_xlsx_whose_declared_dimension_is_stale_is_read_whole():
    """Some programs write a sheet's used range once and never update it: the rows past it are rows too."""
    sheet = read_sheet(with_sheet_xml(xlsx_file(order_rows()), dimension="A1:Q3"))
    assert [row.number for row in sheet.rows] == [2, 3, 4, 5, 6]
    assert [len(row.cells) for row in sheet.rows] == [17, 17, 17, 14, 4]


def test_a_small_workbook_declaring_the_whole_width_is_read_by_its_cells_not_its_claims():
    """16,384 columns declared and a cell 50,000 rows down: a few kilobytes that must not cost minutes."""
    content = with_sheet_xml(xlsx_file(order_rows()), "A1:XFD50000", text_row(50_000, "A", "PO-LAST"))
    start = time.perf_counter()
    sheet = read_sheet(content)
    assert time.perf_counter() - start < 5
    assert (sheet.rows[-1].number, sheet.rows[-1].cells) == (50_000, {"order_ref": "PO-LAST"})


def test_a_row_past_the_last_a_spreadsheet_has_is_refused(monkeypatch):
    assert reading.LAST_ROW == 1_048_576
    monkeypatch.setattr(reading, "LAST_ROW", 1_000)  # walking a million blank rows takes seconds
    content = with_sheet_xml(xlsx_file(order_rows()), rows_after=text_row(1_001, "A", "PO-LAST"))
    with pytest.raises(BulkFileError, match="past row 1,000,"):
        read_sheet(content)
    assert read_sheet(with_sheet_xml(xlsx_file(order_rows()), rows_after=text_row(1_000, "A", "PO-LAST")))


def test_a_workbook_that_unpacks_to_more_than_its_rows_could_need_is_refused_unread(monkeypatch):
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 50_000)
    content = xlsx_file(order_rows() * 40)
    with pytest.raises(BulkFileError, match="unpacks to more than 50,000 bytes"):
        read_sheet(content)
    assert len(read_sheet(xlsx_file(order_rows())).rows) == 5


def test_the_first_sheet_is_the_first_a_person_sees_and_a_chart_is_no_sheet_of_rows():
    """Order templates keep their drop-down lists on a hidden sheet, sometimes the first; a chart sheet
    has a name but no rows."""
    workbook = load_workbook(io.BytesIO(xlsx_file(order_rows())))
    workbook.create_sheet("Lists", 0).sheet_state = "hidden"
    chart = BarChart()
    chart.add_data(Reference(workbook["Orders"], min_col=16, min_row=1, max_row=6))
    workbook.create_chartsheet("Quantities", 0).add_chart(chart)
    out = io.BytesIO()
    workbook.save(out)

    assert [row.number for row in read_sheet(out.getvalue()).rows] == [2, 3, 4, 5, 6]
    with pytest.raises(BulkFileError, match="'Quantities' is a chart.*Lists, Orders"):
        read_sheet(out.getvalue(), "Quantities")
