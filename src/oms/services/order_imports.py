"""Bulk order import for B2B: a CSV or XLSX file of order lines becomes orders, all or none by default.

Validation comes first, then writing. Every row is validated with the OrderCreate the API takes, then
against what the database knows (channel, catalogue, pickup stores, orders of the same reference
captured before with other content); an error names its row, as a spreadsheet numbers it, and column.
With any error nothing is stored, unless `skip_invalid`: then the valid orders go in, and an order with
one bad row is left out whole. The file is stored once as an inbound payload (deduplicated by its
SHA-256), each order is captured pointing into it ("rows 2-4"), and the outcome is kept on the payload:
the same file again is answered with it. An import cut short (its payload without outcome) runs again
on the same payload, capture replaying the orders it had already written.
"""

import hashlib
from dataclasses import replace

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from oms.channels.bulk.columns import BulkFileError
from oms.channels.bulk.drafts import CatalogueItem, Draft, Facts, draft_order
from oms.channels.bulk.grouping import FileOrder, RowError, group_orders
from oms.channels.bulk.reading import Sheet, read_sheet
from oms.services import inbound
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, ValidationFailed
from oms.services.inbound import Payload
from oms.services.order_capture import capture_hash
from oms.services.order_imports_capture import ImportProgress, capture_drafts
from oms.services.order_imports_models import (
    MAX_FILE_BYTES,
    FileTooLarge,
    ImportRefused,
    OrderImportCommand,
    OrderImportReport,
)
from oms.services.uow import UnitOfWork

CONTENT_TYPES = {"csv": "text/csv",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
_FACTS = text(
    """
    SELECT EXISTS (SELECT 1 FROM channels WHERE id = :channel) AS channel_ok,
           (SELECT coalesce(json_object_agg(sku, json_build_array(unit_price::text, currency)), '{}'::json)
            FROM products WHERE sku = ANY(:skus) AND active) AS catalogue,
           ARRAY(SELECT id FROM nodes WHERE id = ANY(:stores) AND active AND 'pickup' = ANY(fulfilment_types))
             AS pickup_stores,
           (SELECT coalesce(json_object_agg(external_id, json_build_array(id, capture_hash)), '{}'::json)
            FROM orders WHERE channel_id = :channel AND external_id = ANY(:refs)) AS captured
    """
)


def import_orders(
    uow: UnitOfWork, actor: Actor, cmd: OrderImportCommand, content: bytes,
    progress: ImportProgress | None = None, workers: int | None = None,
) -> OrderImportReport:  # fmt: skip
    """Import the orders of `content` (the file's bytes). Raises ImportRefused (nothing stored) when the
    file has errors and `skip_invalid` is off, or no order passes; ValidationFailed when the file cannot be
    read or the channel is unknown; FileTooLarge."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    if len(content) > MAX_FILE_BYTES:
        raise FileTooLarge(f"the file has {len(content):,} bytes; at most {MAX_FILE_BYTES:,} are imported")
    digest = hashlib.sha256(content).hexdigest()
    key = digest if cmd.sheet is None else f"{digest}#{cmd.sheet}"  # each sheet of a workbook: an import
    with uow.reading():
        received = inbound.find_received(uow.conn, cmd.channel, "bulk", key)
    if received and received.outcome:
        return OrderImportReport.model_validate(received.outcome | {"already_imported": True})
    sheet = _read(content, cmd.sheet)
    orders, errors = group_orders(sheet.rows)
    drafts = _drafts(uow, cmd.channel, orders)
    report = OrderImportReport(
        channel=cmd.channel, file_format=sheet.format, sha256=digest, payload_id=None, rows=len(sheet.rows),
        orders=len(orders), created=0, replayed=0, rejected=0, imported=[],
        errors=sorted(errors + [e for d in drafts for e in d.errors], key=lambda e: (e.row, e.column)),
        ignored_columns=sheet.ignored_columns,
    )  # fmt: skip
    valid = [d for d in drafts if d.command is not None]
    report.rejected = len(drafts) - len(valid)
    if not valid or (report.errors and not cmd.skip_invalid):
        raise ImportRefused(report)
    payload = Payload("bulk", CONTENT_TYPES[sheet.format], content, topic=sheet.format, dedupe_key=key)
    report.payload_id = received.payload_id if received else _store(uow, actor, cmd.channel, payload)
    captured = capture_drafts(uow.engine, actor, valid, report.payload_id, progress, workers)
    for outcome in captured:
        if isinstance(outcome, list):
            report.errors += outcome
            report.rejected += 1
        else:
            report.imported.append(outcome)
    report.errors.sort(key=lambda e: (e.row, e.column))
    report.created = sum(order.created for order in report.imported)
    report.replayed = len(report.imported) - report.created
    _keep_outcome(uow, actor, report)
    return report


def _read(content: bytes, sheet_name: str | None) -> Sheet:
    try:
        return read_sheet(content, sheet_name)
    except BulkFileError as error:
        raise ValidationFailed([FieldError(("file",), str(error), "unreadable")]) from None


def _drafts(uow: UnitOfWork, channel: str, orders: list[FileOrder]) -> list[Draft]:
    """Each order validated, and checked against what the database knows."""
    params = {
        "channel": channel,
        "refs": [order.ref for order in orders],
        "skus": sorted({row.cells["sku"] for order in orders for row in order.lines if "sku" in row.cells}),
        "stores": sorted({order.values.get("pickup_node_id", "") for order in orders}),
    }
    with uow.reading():
        known = uow.conn.execute(_FACTS, params).one()
    if not known.channel_ok:
        raise ValidationFailed([FieldError(("channel",), f"unknown channel '{channel}'", "unknown_channel")])
    facts = Facts({sku: CatalogueItem(*item) for sku, item in known.catalogue.items()},
                  frozenset(known.pickup_stores))  # fmt: skip
    drafts = (draft_order(order, channel, facts) for order in orders)
    return [_unless_captured_otherwise(draft, known.captured) for draft in drafts]


def _unless_captured_otherwise(draft: Draft, captured: dict[str, list]) -> Draft:
    """The draft, refused if an order of its reference was captured before with other content (capture
    would refuse it, after the file's other orders were written)."""
    if draft.command is None or draft.order.ref not in captured:
        return draft
    order_id, stored_hash = captured[draft.order.ref]
    if capture_hash(draft.command.model_dump_json().encode()) == stored_hash:
        return draft  # captured before with the same content: capture replays it
    message = f"order '{draft.order.ref}' was captured before (order {order_id}) with other content"
    error = RowError(draft.order.rows[0], "order_ref", message, draft.order.ref, "conflict")
    return replace(draft, command=None, errors=[error])


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
