"""Order files as B2B customers' spreadsheets write them: CSV (comma, or semicolon with decimal commas as
European Excel writes it) and XLSX, built from rows of values."""

import csv
import io
import re
import zipfile

from openpyxl import Workbook

from tests.factories import set_stock

# A buyer's export: its own header names (aliases), order-level cells repeated on every row or left blank.
HEADER = ["PO Number", "Customer", "Email", "Phone", "Ship To", "Address", "Address 2", "Zip", "City",
          "Country", "Service", "Currency", "Notes", "Line", "SKU", "Qty", "Unit Price"]  # fmt: skip
LUMIERE = ["PO-2026-0412", "Boutique Lumière SARL", "achats@lumiere.example.fr", "+33 1 42 00 00 00",
           "Boutique Lumière", "14 rue du Faubourg Saint-Antoine", "Bât. B", "75011", "Paris", "FR",
           "standard", "EUR", "Livraison avant 10h"]  # fmt: skip
BECKER = ["PO-2026-0413", "Sporthaus Becker GmbH", "einkauf@becker.example.de", "", "Sporthaus Becker",
          "Hohe Straße 52", "", "50667", "Köln", "DE", "express", "EUR", ""]  # fmt: skip
BLANK_ORDER = [""] * len(LUMIERE)


def stock_the_files_skus(engine) -> None:
    """100 of each SKU the files order, at WH-LYON."""
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 100)


def order_rows() -> list[list]:
    """Two orders, five lines: Lumière's order-level cells repeated on each row, Becker's on its first
    row only, one price left blank (the catalogue's)."""
    return [
        [*LUMIERE, "10", "TSH-BLU-L", 12, 19.9],
        [*LUMIERE, "20", "TSH-BLU-M", 6, 19.9],
        [*LUMIERE, "30", "JKT-RED-M", 2, 79.5],
        [*BECKER, "1", "JKT-RED-M", 4, 82.0],
        [BECKER[0], *BLANK_ORDER[1:], "2", "TSH-BLU-L", 3, None],
    ]


def three_orders() -> list[list]:
    """order_rows, and a third order of one shirt on row 7 (Becker's other branch)."""
    return [*order_rows(), ["PO-2026-0414", *BECKER[1:], "1", "TSH-BLU-M", 2, 19.9]]


def csv_file(rows: list[list], header: list[str] = HEADER, european: bool = False) -> bytes:
    """`european`: semicolons, decimal commas and a byte-order mark, as Excel's "CSV UTF-8" in France or
    Germany writes it."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if european else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_european(v) if european else ("" if v is None else v) for v in row])
    return ("\ufeff" if european else "").encode() + out.getvalue().encode()


def _european(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return "" if value is None else str(value)


def xlsx_file(rows: list[list], header: list[str] = HEADER, sheet: str = "Orders", before=()) -> bytes:
    """A workbook whose sheet `sheet` holds the rows, numbers as numbers; `before` names sheets put first."""
    workbook = Workbook()
    first = workbook.active
    for title in before:
        workbook.create_sheet(title, 0).append(["nothing", "to", "import"])
    first.title = sheet
    first.append(header)
    for row in rows:
        first.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_xml(content: bytes, dimension: str | None = None, rows_after: str = "") -> bytes:
    """The workbook `content` (one sheet) with its sheet's declared dimension replaced and raw `<row>`
    XML appended, as other programs write workbooks: a stale dimension, rows far below the others."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                if dimension is not None:
                    xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml)
                data = xml.replace("</sheetData>", f"{rows_after}</sheetData>").encode()
            target.writestr(name, data)
    return out.getvalue()


def text_row(number: int, column: str, value: str) -> str:
    """A row of one text cell, as sheet XML."""
    return f'<row r="{number}"><c r="{column}{number}" t="inlineStr"><is><t>{value}</t></is></c></row>'


def damaged(content: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The workbook with the first compressed bytes of `part` overwritten, as a broken disk or transfer
    leaves a file: the archive's directory intact, the part's data not inflating."""
    info = zipfile.ZipFile(io.BytesIO(content)).getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # past its local header
    return content[:start] + b"\xff" * 16 + content[start + 16:]
