"""Reading a bulk order file, CSV or XLSX, into rows of text cells numbered as a spreadsheet shows them
(the header is row 1).

CSV: UTF-8 with or without a byte-order mark; the delimiter is read from the header line (a comma, a
semicolon as European spreadsheets write it, or a tab). A semicolon file writes decimal commas, so
its numbers are read as such: "1.234,50" is 1234.50; "19.90" keeps its decimal point, but "1.000" (1000
with a thousands dot, or 1 with a decimal point) is not guessed: the cell is marked unreadable.
XLSX: the first sheet shown (not hidden), or the one named, by its cells: the used range a workbook
declares may be stale (rows past it are rows too) or claim the whole sheet, so it is ignored, and only
the header's columns are read.
"""

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from oms.channels.bulk.columns import NUMBERS, BulkFileError, map_header

MAX_ROWS = 100_000
LAST_ROW = 1_048_576  # a spreadsheet's last row: beyond it, a file is no sheet (nor quick to walk through)
# A sheet of MAX_ROWS realistic rows unpacks to about 90 MB; parsing costs time by the byte, blank rows too.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
_THOUSANDS_OR_DECIMALS = re.compile(r"\d{1,3}\.\d{3}")  # "1.000": one thousand, or one with decimals
XLSX_MAGIC = b"PK\x03\x04"  # a zip archive: XLSX is one, CSV never starts so
Format = Literal["csv", "xlsx"]
# What openpyxl raises for a damaged workbook, besides its own InvalidFileException (a bad archive, a
# part or a shared string missing, XML that does not parse, a value of the wrong type), and what zipfile
# raises for a part whose data does not inflate, ends early, or is compressed or encrypted in a way it
# cannot read.
DAMAGED_WORKBOOK = (zipfile.BadZipFile, LookupError, ValueError, TypeError, OSError, SyntaxError,
                    zlib.error, EOFError, NotImplementedError, RuntimeError)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    cells: dict[str, str]  # column -> text, stripped; blank cells left out
    unreadable: dict[str, str] = field(default_factory=dict)  # column -> why its text cannot be trusted


@dataclass(frozen=True, slots=True)
class Sheet:
    format: Format
    rows: list[Row]  # rows with at least one cell of a known column
    ignored_columns: list[str]


def file_format(content: bytes) -> Format:
    return "xlsx" if content.startswith(XLSX_MAGIC) else "csv"


def read_sheet(content: bytes, sheet: str | None = None) -> Sheet:
    """The rows of an order file; raises BulkFileError when it cannot be read at all."""
    if file_format(content) == "xlsx":
        return _xlsx_sheet(content, sheet)
    if sheet is not None:
        raise BulkFileError("a CSV file has no sheets: leave the sheet out")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = f"the file is not UTF-8 text (byte {error.start}); save it as CSV UTF-8"
        raise BulkFileError(message) from None
    first_line = text.partition("\n")[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return _sheet("csv", csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), delimiter == ";")
    except csv.Error as error:
        raise BulkFileError(f"the file is not valid CSV: {error}") from None


def _xlsx_sheet(content: bytes, sheet: str | None) -> Sheet:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        if _unpacked_size(content) > MAX_UNPACKED_BYTES:
            raise BulkFileError(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES:,} bytes; split it")
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            worksheet = _worksheet(workbook, sheet)
            worksheet.reset_dimensions()  # else rows past the declared range are lost, and rows padded to it
            # Read-only: the sheet's XML is parsed while its rows are read, so a damaged one fails here.
            return _sheet("xlsx", worksheet.iter_rows(values_only=True), decimal_comma=False)
        finally:
            workbook.close()
    except DAMAGED_WORKBOOK + (InvalidFileException,) as error:
        message = f"the file is not a readable XLSX workbook ({type(error).__name__}: {error})"
        raise BulkFileError(message) from None


def _worksheet(workbook, name: str | None):
    """The sheet named, or the first a person sees (a template may hide its drop-down lists on a sheet
    before it); chart sheets have names but no rows."""
    names = ", ".join(worksheet.title for worksheet in workbook.worksheets)
    if name is None:
        shown = [ws for ws in workbook.worksheets if ws.sheet_state not in ("hidden", "veryHidden")]
        if not shown:
            raise BulkFileError("the workbook has no sheet of rows to read")
        return shown[0]
    if name in workbook.sheetnames and workbook[name] not in workbook.worksheets:
        raise BulkFileError(f"'{name}' is a chart, not a sheet of rows; the workbook's sheets are {names}")
    if name not in workbook.sheetnames:
        raise BulkFileError(f"no sheet '{name}' in the workbook; it has {names}")
    return workbook[name]


def _unpacked_size(content: bytes) -> int:
    """The size of the workbook's parts unpacked, as its archive declares them (no part is read past its
    declared size: its checksum would fail)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return sum(part.file_size for part in archive.infolist())


def _sheet(format: Format, records: Iterable[Iterable[object]], decimal_comma: bool) -> Sheet:
    records = iter(records)
    header = next(records, None)
    if header is None:
        raise BulkFileError("the file is empty")
    positions, ignored = map_header([_text(cell) for cell in header])
    rows = []
    for number, record in enumerate(records, start=2):
        if number > LAST_ROW:
            raise BulkFileError(f"the file goes on past row {LAST_ROW:,}, the last a spreadsheet has")
        cells, unreadable = {}, {}
        for position, column in positions.items():  # a row may be wider than the header, or shorter
            if position < len(record) and (cell := _text(record[position])):
                cells[column] = _number(cell) if decimal_comma and column in NUMBERS else cell
                if decimal_comma and column in NUMBERS and (why := _ambiguous(cell)):
                    unreadable[column] = why
        if cells:
            if len(rows) == MAX_ROWS:
                raise BulkFileError(f"the file has more than {MAX_ROWS:,} rows; split it")
            rows.append(Row(number, cells, unreadable))
    if not rows:
        raise BulkFileError("the file has a header but no rows")
    return Sheet(format, rows, ignored)


def _text(value: object) -> str:
    """A cell as the text a person sees in it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.15g}"  # a spreadsheet keeps 15 significant digits: 23.88, not 23.880000000000003
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _ambiguous(cell: str) -> str | None:
    """Why a number of a file of decimal commas cannot be read, if it cannot."""
    if _THOUSANDS_OR_DECIMALS.fullmatch(cell):
        thousands, decimals = cell.replace(".", ""), cell.replace(".", ",")
        return f"'{cell}' is ambiguous: {thousands} with a thousands dot, or {decimals} with a decimal comma"
    return None


def _number(cell: str) -> str:
    """A number written with a decimal comma, as the same number with a decimal point ("1.234,5" ->
    "1234.5"); a number with a decimal point only is left as it is."""
    if "," not in cell:
        return cell
    return cell.replace(".", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
