"""Bulk order import: the command, the report it answers, and the refusals."""

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from oms.channels.bulk.grouping import RowError
from oms.services.errors import FieldError, ServiceError, ValidationFailed
from oms.services.inbound import MAX_PAYLOAD_BYTES
from oms.services.order_models import Command

MAX_FILE_BYTES = MAX_PAYLOAD_BYTES
# Past these, a file's errors repeat one mistake; listing them all, a few hundred kilobytes of bad rows
# would make a report (its problem body, the outcome kept) of hundreds of megabytes.
MAX_LISTED_ERRORS = 1_000


class OrderImportCommand(Command):
    channel: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    skip_invalid: bool = Field(
        default=False, description="Import the valid orders, report the others (else one error refuses all)"
    )
    sheet: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = Field(
        default=None, description="The XLSX sheet to read (default: the first not hidden)"
    )


class ImportedOrder(BaseModel):
    order_ref: str
    rows: str = Field(description='Where it is in the file, e.g. "rows 2-4": its source reference')
    order_id: int
    created: bool = Field(description="False: captured before with the same content (idempotent replay)")


class OrderImportReport(BaseModel):
    channel: str
    file_format: Literal["csv", "xlsx"]
    sha256: str = Field(description="The file's SHA-256: the same file again is recognised")
    payload_id: int | None = Field(description="The file kept as received (inbound payload); none if refused")
    already_imported: bool = Field(default=False, description="The outcome of an earlier import of the file")
    rows: int = Field(description="Rows of the file that are not blank, header excluded")
    orders: int = Field(description="Orders in the file (distinct order_ref)")
    created: int
    replayed: int = Field(description="Orders captured before with the same content")
    rejected: int = Field(description="Orders not imported: each has an error on at least one row")
    imported: list[ImportedOrder] = Field(description="The orders imported, in file order")
    errors: list[RowError] = Field(description="Row (the header is row 1), column, message, order_ref, code;"
                                   f" the first {MAX_LISTED_ERRORS:,} in file order")  # fmt: skip
    error_count: int = Field(description="The errors found, listed or not")
    ignored_columns: list[str] = Field(description="Header names not understood, ignored")


class ImportRefused(ValidationFailed):
    """The file has errors and nothing was stored; the report lists them."""

    def __init__(self, report: OrderImportReport):
        count = report.error_count
        listed = f", the first {len(report.errors):,} listed" if len(report.errors) < count else ""
        detail = f"{count:,} error(s) in the file{listed}; nothing was imported"
        ServiceError.__init__(self, detail, _field_errors(report))
        self.report = report


class ImportInterrupted(ServiceError):
    """All or nothing, and capture refused an order the check had passed (it changed in between): the
    import stopped there, the orders captured before it stay, and its outcome is left open."""

    status, title, type_slug = 409, "Import interrupted", "import-interrupted"

    def __init__(self, report: OrderImportReport):
        detail = (
            f"{report.rejected} order(s) changed since the file was checked and were refused at capture;"
            f" {len(report.imported)} of its {report.orders} orders were captured before the import stopped."
            " Fix what the errors say and import the same file again: the orders captured replay, the others"
            " go in"
        )
        super().__init__(detail, _field_errors(report))
        self.report = report


def _field_errors(report: OrderImportReport) -> list[FieldError]:
    return [FieldError(("rows", e.row, e.column) if e.column else ("rows", e.row), e.message, e.code)
            for e in report.errors]  # fmt: skip
