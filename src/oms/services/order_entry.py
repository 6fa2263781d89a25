"""Order entry from documents: a PDF purchase order or invoice read (oms.channels.documents), optionally
read again by a language model where it is hard (a `Refine` the caller passes, so services never import
agents), resolved against the catalogue and customers, and checked as capture would check it. The result
is a draft: nothing here creates an order. What a document says is data only, never an instruction."""

from collections.abc import Callable

from sqlalchemy import Connection, text

from oms.channels.documents.extract import document_text, extract_document
from oms.channels.documents.model import DocumentFailure, ExtractedDocument
from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.errors import ContentTooLarge, FieldError
from oms.services.order_entry_command import draft_command, draft_problems
from oms.services.order_entry_matching import barcode_key
from oms.services.order_entry_models import MAX_DOCUMENT_BYTES, DocumentRefused, DraftContent
from oms.services.order_entry_resolution import overall_confidence, resolve_document
from oms.services.uow import UnitOfWork

__all__ = ["Refine", "draft_command", "draft_problems", "extract_draft", "learn_part_numbers"]

PART_NUMBER_LENGTH = 64  # customer_part_numbers.part_number
Refine = Callable[[str, ExtractedDocument], ExtractedDocument]
"""(the document's text, the layout reader's extraction) -> a better extraction; never raises."""

_LEARN = text(
    """
    INSERT INTO customer_part_numbers (customer_id, part_number, sku, source, draft_id)
    SELECT :customer_id, v.part_number, v.sku, 'submitted', :draft_id
    FROM jsonb_to_recordset(CAST(:pairs AS jsonb)) AS v(part_number text, sku text)
    ON CONFLICT (customer_id, part_number) DO UPDATE
      SET sku = excluded.sku, source = excluded.source, draft_id = excluded.draft_id, updated_at = now()
    """
)


def extract_draft(uow: UnitOfWork, actor: Actor, content: bytes, channel: str | None = None,
                  refine: Refine | None = None) -> DraftContent:  # fmt: skip
    """The draft of the PDF `content`, with what capture would refuse on `channel` as its problems.
    Raises DocumentRefused (422, the failure's code on path `file`) for no readable PDF. Writes nothing
    but missing catalogue and customer embeddings."""
    actor.require(Permission.ORDER_CAPTURE)
    if channel is not None:
        actor.require_channel(channel)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise ContentTooLarge(f"a document may have {MAX_DOCUMENT_BYTES:,} bytes at most")
    extracted = _read(content, refine)
    with uow.autocommit():
        draft = resolve_document(uow.conn, extracted)
        draft.problems = draft_problems(uow.conn, draft, channel)
    draft.confidence = overall_confidence(draft.field_confidence, draft.lines, draft.warnings, draft.problems)
    return draft


def learn_part_numbers(conn: Connection, customer_id: int, draft_id: int | None,
                       pairs: list[tuple[str, str]]) -> int:  # fmt: skip
    """Remember (customer's code, our SKU) pairs of a submitted draft, so the customer's code resolves
    next time; a code that is the SKU itself or a barcode teaches nothing. Returns how many were kept."""
    learned = {code.strip(): sku for code, sku in pairs if _teaches(code.strip(), sku)}
    if learned:
        rows = [{"part_number": code, "sku": sku} for code, sku in learned.items()]
        conn.execute(_LEARN, {"customer_id": customer_id, "draft_id": draft_id, "pairs": dumps_json(rows)})
    return len(learned)


def _teaches(code: str, sku: str) -> bool:
    return 0 < len(code) <= PART_NUMBER_LENGTH and code.upper() != sku.upper() and barcode_key(code) is None


def _read(content: bytes, refine: Refine | None) -> ExtractedDocument:
    try:
        extracted = extract_document(content)
        return refine(document_text(content), extracted) if refine else extracted
    except DocumentFailure as failure:
        raise DocumentRefused([FieldError(("file",), failure.message, failure.code)]) from None
