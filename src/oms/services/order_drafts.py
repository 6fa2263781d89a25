"""Order entry drafts: a PDF purchase order uploaded by staff becomes a draft to check, correct and submit.

The document is read before anything is written (oms.services.order_entry.extract_draft), so a file that
is no readable PDF leaves nothing behind; then its bytes (an inbound payload of source 'document', keyed
by their SHA-256 so the same file again answers its draft), the draft and its audit event go in together.
Nothing in a document acts: what it says only fills the draft's fields. Editing and submitting are in
oms.services.order_drafts_edit."""

import hashlib

from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from oms.channels.documents.images import page_count, page_png
from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, ContentTooLarge, FieldError, NotFound, ValidationFailed
from oms.services.inbound import Payload, find_received, is_duplicate, store_payload
from oms.services.order_drafts_queries import draft_by_payload, draft_row, draft_view, locked_draft
from oms.services.order_entry import Refine, extract_draft
from oms.services.order_entry_models import (
    MAX_DOCUMENT_BYTES,
    DocumentRefused,
    DraftContent,
    DraftUpload,
    OrderDraftPublic,
)
from oms.services.uow import UnitOfWork

_CHANNEL = text("SELECT EXISTS (SELECT 1 FROM channels WHERE id = :channel)")
_INSERT = text(
    """
    INSERT INTO order_drafts (channel_id, payload_id, file_name, pages, extraction, content, created_by)
    VALUES (:channel, :payload_id, :file_name, :pages, CAST(:content AS jsonb), CAST(:content AS jsonb),
            :actor)
    RETURNING id
    """
)
_DOCUMENT = text("SELECT body FROM inbound_payloads WHERE id = :id")
_DISCARD = text(
    "UPDATE order_drafts SET status = 'discarded', version = version + 1, updated_at = now() WHERE id = :id"
)


def create_draft(uow: UnitOfWork, actor: Actor, cmd: DraftUpload, content: bytes, file_name: str,
                 refine: Refine | None = None) -> tuple[OrderDraftPublic, bool]:  # fmt: skip
    """The draft of the PDF `content` and whether this call created it (False: the same file was uploaded
    for the channel before, this is its draft). Raises DocumentRefused, with nothing stored, for a file that
    is no readable PDF."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ContentTooLarge(f"the file has {len(content):,} bytes; at most {MAX_DOCUMENT_BYTES:,} are read")
    if not content:
        raise DocumentRefused([FieldError(("file",), "the file is empty: choose a PDF document", "empty")])
    payload = Payload("document", "application/pdf", content, dedupe_key=hashlib.sha256(content).hexdigest())
    known = _known_draft(uow, cmd.channel, payload.dedupe_key)
    if known is not None:
        return known, False
    draft = extract_draft(uow, actor, content, channel=cmd.channel, refine=refine)
    try:
        with uow:
            draft_id = _store(
                uow, actor, cmd.channel, payload, _file_name(file_name), draft, page_count(content)
            )
            uow.commit()
    except IntegrityError as error:
        if not is_duplicate(error):
            raise
        return _known_draft(uow, cmd.channel, payload.dedupe_key), False  # the same file, uploaded meanwhile
    return get_draft(uow, actor, draft_id), True


def _known_draft(uow: UnitOfWork, channel: str, dedupe_key: str) -> OrderDraftPublic | None:
    """The draft of the same file uploaded before for `channel`, if any (an unknown channel: refused)."""
    with uow.reading():
        _require_channel_exists(uow.conn, channel)
        known = find_received(uow.conn, channel, "document", dedupe_key)
        return draft_view(draft_by_payload(uow.conn, known.payload_id)) if known else None


def _store(uow: UnitOfWork, actor: Actor, channel: str, payload: Payload, file_name: str, draft: DraftContent,
           pages: int) -> int:  # fmt: skip
    payload_id = store_payload(uow.conn, actor, channel, payload)
    params = {"channel": channel, "payload_id": payload_id, "file_name": file_name, "pages": pages,
              "content": dumps_json(draft.model_dump(mode="json")), "actor": actor.name}  # fmt: skip
    draft_id = uow.conn.execute(_INSERT, params).scalar_one()
    uow.record(actor, "order_draft.created", "order_draft", draft_id,
               after={"channel": channel, "file_name": file_name, "payload_id": payload_id,
                      "document_number": draft.document_number, "lines": len(draft.lines)})  # fmt: skip
    return draft_id


def _require_channel_exists(conn: Connection, channel: str) -> None:
    if not conn.execute(_CHANNEL, {"channel": channel}).scalar_one():
        raise ValidationFailed([FieldError(("channel",), f"no channel '{channel}'", "unknown")])


def _file_name(file_name: str) -> str:
    """The name alone: a browser may send a whole path."""
    return file_name.replace("\\", "/").split("/")[-1].strip()[:255] or "document.pdf"


def get_draft(uow: UnitOfWork, actor: Actor, draft_id: int) -> OrderDraftPublic:
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        row = draft_row(uow.conn, draft_id)
    if row is None or not actor.sees_channel(row["channel"]):
        raise NotFound(f"no order draft {draft_id}")
    return draft_view(row)


def draft_page_png(uow: UnitOfWork, actor: Actor, draft_id: int, page: int, width: int) -> bytes:
    """Page `page` (1-based) of the PDF a draft was read from, as a PNG image `width` pixels wide."""
    draft = get_draft(uow, actor, draft_id)
    with uow.reading():
        document = uow.conn.execute(_DOCUMENT, {"id": draft.payload_id}).scalar_one()
    try:
        return page_png(bytes(document), page, width)
    except IndexError as past:
        raise NotFound(f"order draft {draft_id} has no {past}") from past


def discard_draft(uow: UnitOfWork, actor: Actor, draft_id: int, expected_version: int) -> OrderDraftPublic:
    """Set a draft aside: no order is made from it."""
    actor.require(Permission.ORDER_CAPTURE)
    with uow:
        row = locked_draft(uow.conn, actor, draft_id, expected_version)
        if row["status"] != "draft":
            raise Conflict(f"order draft {draft_id} is {row['status']} already")
        uow.conn.execute(_DISCARD, {"id": draft_id})
        uow.record(actor, "order_draft.discarded", "order_draft", draft_id, before={"status": "draft"},
                   after={"status": "discarded"})  # fmt: skip
        uow.commit()
    return get_draft(uow, actor, draft_id)
