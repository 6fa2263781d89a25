"""Bulk imports run in the background: what a run shows while it runs and once it has ended."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from oms.services.order_imports_models import OrderImportReport

ImportRunStatus = Literal["queued", "checking", "importing", "done", "refused", "interrupted", "failed"]
OPEN_STATUSES = ("queued", "checking", "importing")
OPEN = f"status IN {OPEN_STATUSES}"  # SQL: a run not yet ended (the partial index ix_import_runs_open)


class ImportRunSummary(BaseModel):
    id: int
    channel: str
    file_name: str
    sheet: str | None
    skip_invalid: bool
    size_bytes: int
    status: ImportRunStatus = Field(
        description="queued, checking (the file read and validated), importing (orders captured), then done;"
        " refused (errors in the file, nothing imported), interrupted (an order changed since checked:"
        " import the same file again to finish), failed (an unexpected error: `message`)"
    )
    rows_done: int = Field(description="Rows whose order is captured")
    rows_total: int | None = Field(description="Rows to capture; known once the file is checked")
    message: str | None = Field(description="Why a run was refused or failed, and what to do")
    asked_by: str
    on_behalf_of: str | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @computed_field
    @property
    def ended(self) -> bool:
        return self.status not in OPEN_STATUSES


class ImportRunView(ImportRunSummary):
    report: OrderImportReport | None = Field(description="The import's report, once it has ended")


class ImportRunList(BaseModel):
    items: list[ImportRunSummary] = Field(description="The most recent runs first")
