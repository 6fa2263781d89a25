"""Bulk order import for B2B: a CSV or XLSX file of order lines becomes orders, all or none by default.

Validation comes first, then writing (see oms.services.order_imports_checks); an error names its row,
as a spreadsheet numbers it, and column. With any error nothing is stored, unless `skip_invalid`: then
the valid orders go in, and an order with one bad row is left out whole. The file is stored once as an
inbound payload (deduplicated by its SHA-256), each order is captured pointing into it ("rows 2-4"),
and the outcome is kept on the payload: the same file again is answered with it. An import cut short
(its payload without outcome) runs again on the same payload, capture replaying the orders it had
already written.

Each order is captured in its own transaction, so all or nothing holds for what the check sees. What
changes between the check and the capture (a product taken out of the catalogue, the same order_ref
captured elsewhere with other content) makes capture refuse an order after others went in: an import
without `skip_invalid` then stops there and is left open, as if cut short (ImportInterrupted, 409).
"""
import hashlib

from sqlalchemy.exc import IntegrityError

from oms.channels.bulk.grouping import RowError
from oms.services import inbound
from oms.services.actor import Actor, Permission
from oms.services.errors import ContentTooLarge
from oms.services.inbound import Payload
from oms.services.order_imports_capture import ImportProgress, capture_drafts
from oms.services.order_imports_checks import check_file, in_file_order
from oms.services.order_imports_models import (
    MAX_FILE_BYTES,
    MAX_LISTED_ERRORS,
    ImportedOrder,
    ImportInterrupted,
    ImportRefused,
    OrderImportCommand,
    OrderImportReport,
)
from oms.services.uow import UnitOfWork

CONTENT_TYPES = {"csv": "text/csv",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip


def import_orders(
    uow: UnitOfWork, actor: Actor, cmd: OrderImportCommand, content: bytes,
    progress: ImportProgress | None = None, workers: int | None = None,
) -> OrderImportReport:  # fmt: skip
    """Import the orders of `content` (the file's bytes). Raises ImportRefused (nothing stored) when the
    file has errors and `skip_invalid` is off, or no order passes; ImportInterrupted when capture refused
    an order the check had passed and `skip_invalid` is off; ValidationFailed when the file cannot be read
    or the channel is unknown; ContentTooLarge."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    if len(content) > MAX_FILE_BYTES:
        raise ContentTooLarge(f"the file has {len(content):,} bytes; at most {MAX_FILE_BYTES:,} are imported")
    digest = hashlib.sha256(content).hexdigest()
    key = digest if cmd.sheet is None else f"{digest}#{cmd.sheet}"  # each sheet of a workbook: an import
    with uow.reading():
        received = inbound.find_received(uow.conn, cmd.channel, "bulk", key)
    if received and received.outcome:
        return OrderImportReport.model_validate(received.outcome | {"already_imported": True})
    checked = check_file(uow, actor, cmd, content)
    report = OrderImportReport(
        channel=cmd.channel, file_format=checked.sheet.format, sha256=digest, payload_id=None,
        rows=len(checked.sheet.rows), orders=len(checked.drafts), created=0, replayed=0,
        rejected=len(checked.drafts) - len(checked.valid), imported=[],
        errors=checked.errors[:MAX_LISTED_ERRORS], error_count=len(checked.errors),
        ignored_columns=checked.sheet.ignored_columns,
    )  # fmt: skip
    if not checked.valid or (report.errors and not cmd.skip_invalid):
        raise ImportRefused(report)
    kind = report.file_format
    payload = Payload("bulk", CONTENT_TYPES[kind], content, topic=kind, dedupe_key=key)
    report.payload_id = received.payload_id if received else _store(uow, actor, cmd.channel, payload)
    captured = capture_drafts(uow.engine, actor, checked.valid, report.payload_id, progress, workers,
                              all_or_nothing=not cmd.skip_invalid)  # fmt: skip
    _tally(report, captured)
    if report.errors and not cmd.skip_invalid:
        raise ImportInterrupted(report)  # no outcome kept: the same file again finishes the import
    _keep_outcome(uow, actor, report)
    return report


def _tally(report: OrderImportReport, captured: list[ImportedOrder | list[RowError] | None]) -> None:
    """Add to the report the orders captured, and those capture refused (what changed since checked)."""
    refusals = []
    for outcome in captured:
        if outcome is None:
            continue  # not captured: an earlier order was refused, all or nothing
        if isinstance(outcome, list):
            refusals += outcome
            report.rejected += 1
        else:
            report.imported.append(outcome)
    report.errors = in_file_order(report.errors + refusals)[:MAX_LISTED_ERRORS]
    report.error_count += len(refusals)
    report.created = sum(order.created for order in report.imported)
    report.replayed = len(report.imported) - report.created


def _store(uow: UnitOfWork, actor: Actor, channel: str, payload: Payload) -> int:
    """The file stored as received; a racing import of the same file stored it first: its payload."""
    try:
        with uow:
            payload_id = inbound.store_payload(uow.conn, actor, channel, payload)
            uow.commit()
            return payload_id
    except IntegrityError as error:
        if not inbound.is_duplicate(error):
            raise
    with uow.reading():
        return inbound.find_received(uow.conn, channel, "bulk", payload.dedupe_key).payload_id


def _keep_outcome(uow: UnitOfWork, actor: Actor, report: OrderImportReport) -> None:
    counts = report.model_dump(include={"file_format", "sha256", "rows", "orders", "created", "replayed",
                                        "rejected"})  # fmt: skip
    with uow:
        outcome = report.model_dump(mode="json", exclude={"already_imported"})
        inbound.set_outcome(uow.conn, report.payload_id, outcome)
        uow.record(actor, "orders.imported", "inbound_payload", report.payload_id, after=counts)
        uow.commit()
