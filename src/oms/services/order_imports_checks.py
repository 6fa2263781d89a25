"""Checking a bulk order file before anything is written: every row validated with the OrderCreate the
API takes, then against what the database knows (channel, catalogue, pickup stores, orders of the same
reference captured before with other content), each error pointed at its row and column."""

from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import text

from oms.channels.bulk.columns import BulkFileError
from oms.channels.bulk.drafts import CatalogueItem, Draft, Facts, draft_order
from oms.channels.bulk.grouping import FileOrder, RowError, group_orders
from oms.channels.bulk.reading import Sheet, read_sheet
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, ValidationFailed
from oms.services.order_capture import capture_hash
from oms.services.order_imports_models import OrderImportCommand
from oms.services.uow import UnitOfWork

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


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """A file read and each of its orders validated; nothing written."""

    sheet: Sheet
    drafts: list[Draft]
    errors: list[RowError]  # in file order

    @property
    def valid(self) -> list[Draft]:
        return [draft for draft in self.drafts if draft.command is not None]


def check_file(uow: UnitOfWork, actor: Actor, cmd: OrderImportCommand, content: bytes) -> CheckedFile:
    """Read the file and validate every order in it, writing nothing. Raises ValidationFailed when the
    file cannot be read or the channel is unknown."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    sheet = _read(content, cmd.sheet)
    orders, errors = group_orders(sheet.rows)
    drafts = _drafts(uow, cmd.channel, orders)
    return CheckedFile(sheet, drafts, in_file_order(errors + [e for d in drafts for e in d.errors]))


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
    catalogue = {sku: CatalogueItem(Decimal(price), currency)
                 for sku, (price, currency) in known.catalogue.items()}  # fmt: skip
    facts = Facts(catalogue, frozenset(known.pickup_stores))
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


def in_file_order(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (e.row, e.column))
