"""Staff's corrections to an order draft, and its submission: the only way a draft becomes an order.

An edit is checked against the version staff read (under the draft's lock: 409 when it moved on), and
its problems are those the dry run of capture finds now. Submitting captures the order through
oms.services.order_capture as every channel does, from the draft's document as its payload; capture is
idempotent per (channel, document number), so a submission retried after a crash between capture and
marking the draft replays the same order."""

from sqlalchemy import text

from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, FieldError, ValidationFailed
from oms.services.inbound import OrderSource
from oms.services.order_capture import capture_order
from oms.services.order_drafts_queries import draft_row, draft_view, locked_draft
from oms.services.order_entry import draft_command, draft_problems, learn_part_numbers
from oms.services.order_entry_models import (
    DraftContent,
    DraftCustomer,
    DraftEdit,
    DraftLine,
    DraftLineEdit,
    DraftSubmit,
    OrderDraftPublic,
)
from oms.services.order_models import OrderPublic
from oms.services.uow import UnitOfWork

_SAVE = text(
    """
    UPDATE order_drafts SET content = CAST(:content AS jsonb), version = version + 1, updated_at = now()
    WHERE id = :id
    """
)
_SUBMITTED = text(
    """
    UPDATE order_drafts SET status = 'submitted', order_id = :order_id, submitted_by = :actor,
                            content = CAST(:content AS jsonb), version = version + 1, updated_at = now()
    WHERE id = :id
    """
)
_LOCK = text("SELECT status, order_id FROM order_drafts WHERE id = :id FOR UPDATE")
_HEADER = ("document_number", "currency", "ship_to", "requested_delivery_date")


def edit_draft(uow: UnitOfWork, actor: Actor, draft_id: int, edit: DraftEdit) -> OrderDraftPublic:
    """The draft with staff's fields, its problems found again by the dry run."""
    actor.require(Permission.ORDER_CAPTURE)
    with uow:
        row = _open_draft(uow, actor, draft_id, edit.expected_version)
        edited = corrected(DraftContent.model_validate(row["content"]), edit)
        edited.problems = draft_problems(uow.conn, edited, row["channel"])
        uow.conn.execute(_SAVE, {"id": draft_id, "content": dumps_json(edited.model_dump(mode="json"))})
        uow.record(actor, "order_draft.edited", "order_draft", draft_id,
                   after={"version": row["version"] + 1, "problems": len(edited.problems)})  # fmt: skip
        uow.commit()
    with uow.reading():
        return draft_view(draft_row(uow.conn, draft_id))


def _open_draft(uow: UnitOfWork, actor: Actor, draft_id: int, expected_version: int):
    row = locked_draft(uow.conn, actor, draft_id, expected_version)
    actor.require_channel(row["channel"])
    if row["status"] != "draft":
        raise Conflict(f"order draft {draft_id} is {row['status']}: it cannot change")
    return row


def corrected(draft: DraftContent, edit: DraftEdit) -> DraftContent:
    """`draft` with staff's fields. A field staff changed is certain now; so is a SKU they chose."""
    changes = {"document_number": edit.document_number, "currency": edit.currency, "ship_to": edit.ship_to,
               "requested_delivery_date": edit.requested_delivery_date}  # fmt: skip
    confidence = dict(draft.field_confidence)
    confidence.update({f: 1.0 for f in _HEADER if getattr(draft, f) != changes[f]})
    customer = _customer(draft.customer, edit)
    if customer != draft.customer:
        confidence["customer"] = 1.0
    lines = [_line(read, line) for read, line in zip(_aligned(draft.lines, edit.lines), edit.lines)]
    return DraftContent.model_validate(
        dict(draft) | changes | {"customer": customer, "lines": lines, "field_confidence": confidence}
    )


def _customer(read: DraftCustomer, edit: DraftEdit) -> DraftCustomer:
    """The customer as staff name it; the known customer matched stays while the name is the one read."""
    email = edit.customer_email or None
    if read.name != edit.customer_name:
        return DraftCustomer(name=edit.customer_name, email=email)
    return read.model_copy(update={"email": email})


def _aligned(read: list[DraftLine], edits: list[DraftLineEdit]) -> list[DraftLine | None]:
    """The line read that each edited line corrects: the one of its SKU, else the next one not taken (so a
    line removed does not shift what was read of the others)."""
    by_sku = {line.sku: line for line in read if line.sku}
    taken = {by_sku[e.sku].sku for e in edits if e.sku in by_sku}
    rest = iter([line for line in read if line.sku not in taken])
    return [by_sku.get(e.sku) or next(rest, None) for e in edits]


def _line(read: DraftLine | None, edit: DraftLineEdit) -> DraftLine:
    """The line as staff set it, keeping what was read of it (its printed code, its candidates)."""
    fields = {"sku": edit.sku, "description": edit.description, "quantity": edit.quantity,
              "unit_price": edit.unit_price}  # fmt: skip
    if read is None:
        return DraftLine(**fields, match_score=1.0, match_method="manual", confidence=1.0)
    chosen = {} if read.sku == edit.sku else {"match_score": 1.0, "match_method": "manual"}
    return DraftLine.model_validate(dict(read) | fields | chosen)


def submit_draft(uow: UnitOfWork, actor: Actor, draft_id: int, cmd: DraftSubmit) -> OrderPublic:
    """The order captured from the draft; refused (422, nothing created) while capture would refuse it."""
    actor.require(Permission.ORDER_CAPTURE)
    with uow:
        row = _open_draft(uow, actor, draft_id, cmd.expected_version)
        draft = DraftContent.model_validate(row["content"])
        # An order captured already under the document number is capture's to judge: the same draft's own
        # order (a retry after a crash) is replayed, another's refused with a 409.
        problems = [
            p for p in draft_problems(uow.conn, draft, row["channel"]) if p["code"] != "already_captured"
        ]
    if problems:
        raise ValidationFailed([FieldError(tuple(p["path"]), p["message"], p["code"])
                                for p in problems])  # fmt: skip
    source = OrderSource(source="document", payload_id=row["payload_id"])
    order, _ = capture_order(uow, actor, draft_command(draft, row["channel"]), source)
    _mark_submitted(uow, actor, draft_id, draft, order)
    return order


def _mark_submitted(
    uow: UnitOfWork, actor: Actor, draft_id: int, draft: DraftContent, order: OrderPublic
) -> None:
    """The draft submitted as `order`, with the content it was captured from (an edit that raced the capture
    is not what was ordered); a racing submission of the same draft finds it marked already."""
    with uow:
        row = uow.conn.execute(_LOCK, {"id": draft_id}).one()
        if row.status != "draft":
            if row.order_id == order.id:
                return
            raise Conflict(f"order draft {draft_id} is {row.status}: it cannot be submitted")
        params = {"id": draft_id, "order_id": order.id, "actor": actor.name,
                  "content": dumps_json(draft.model_dump(mode="json"))}  # fmt: skip
        uow.conn.execute(_SUBMITTED, params)
        pairs = [(code, line.sku) for line in draft.lines if line.sku
                 for code in (line.code, line.customer_part_number) if code]  # fmt: skip
        learn_part_numbers(uow.conn, order.customer.id, draft_id, pairs)
        uow.record(actor, "order_draft.submitted", "order_draft", draft_id, order_id=order.id,
                   after={"order_id": order.id, "external_id": order.external_id})  # fmt: skip
        uow.commit()
