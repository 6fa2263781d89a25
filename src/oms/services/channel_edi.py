"""Receiving an X12 interchange of 850 purchase orders on an EDI channel.

1. The interchange is read and its envelopes checked (delimiters, structure, control numbers and counts,
   sender and receiver): any problem refuses it whole (422), and nothing is stored.
2. An interchange received before (same sender and ISA13) answers what it answered the first time; another
   interchange under that sender and ISA13 (other segments) is refused (409), not taken for the first.
3. It is stored once, as received; then each purchase order is mapped and captured on its own
   (OrderSource edi, the payload, "ST 0001"): one that cannot be (an unknown product, an address that
   is no address) is refused alone, and the others are captured.
4. In one transaction: the 855 of each purchase order (its allocation, or its refusal), the orders whose
   shipments will owe 856s, the outcome kept with the payload, and the audit event.
If the process stops between 3 and 4, the partner's retry finds the payload without an outcome and runs
3 and 4 again: capture is idempotent, and the documents are owed once.
"""

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from oms.channels.edi.acknowledgement import acknowledgement_type
from oms.channels.edi.envelope import Interchange, party_problems, read_interchange
from oms.channels.edi.order_mapping import Catalogue, gtin_key, locate, product_ids, to_order
from oms.channels.edi.purchase_order import PurchaseOrder, read_purchase_orders
from oms.channels.edi.settings import EdiSettings
from oms.channels.edi.writer import CONTENT_TYPE
from oms.channels.edi.x12 import InterchangeRefused, Problem, split_segments
from oms.services import channel_edi_documents as documents
from oms.services.actor import Actor, Permission
from oms.services.channel_edi_documents import Answer
from oms.services.channel_edi_models import (
    EdiProblem,
    InterchangeOutcome,
    InterchangeReceipt,
    TransactionSetOutcome,
)
from oms.services.channel_integrations import load_integration
from oms.services.errors import Conflict, FieldError, NotFound, ValidationFailed
from oms.services.inbound import (
    MAX_PAYLOAD_BYTES,
    OrderSource,
    Payload,
    Received,
    find_received,
    is_duplicate,
    set_outcome,
    store_payload,
)
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderPublic
from oms.services.uow import UnitOfWork

_PRODUCTS = text("SELECT sku, barcode FROM products WHERE active AND (sku = ANY(:skus) OR barcode = ANY(:barcodes))")
_STORES = text(
    """
    SELECT id, name, line1, postal_code, city, country FROM nodes
    WHERE id = ANY(:ids) AND active AND 'pickup' = ANY(fulfilment_types)
    """
)
_OTHER_BODY = text("SELECT CASE WHEN sha256 = :sha256 THEN NULL ELSE body END FROM inbound_payloads WHERE id = :id")
_EXISTING = text("SELECT id FROM orders WHERE channel_id = :channel AND external_id = :external_id")


def receive_interchange(uow: UnitOfWork, actor: Actor, channel_id: str, body: bytes,
                        content_type: str = CONTENT_TYPE) -> InterchangeReceipt:  # fmt: skip
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(channel_id)
    with uow.reading():
        integration = load_integration(uow.conn, channel_id, "edi")
    if integration is None:
        raise NotFound(f"channel '{channel_id}' has no enabled EDI integration")
    settings: EdiSettings = integration.settings
    interchange, orders = _read(body, settings)
    payload = Payload("edi", content_type, body, "850", interchange.dedupe_key)
    received, stored_now = _received(uow, actor, channel_id, payload)
    if not stored_now:
        _require_same(uow, received.payload_id, payload, interchange)
    if received.outcome is not None:
        return InterchangeReceipt(**received.outcome, replayed=True)
    answers = _capture_all(uow, actor, channel_id, settings, received.payload_id, orders)
    outcome = InterchangeOutcome(payload_id=received.payload_id, sender=str(interchange.sender),
                                 control_number=interchange.control_number,
                                 transaction_sets=[_set_outcome(a, received.payload_id) for a in answers])  # fmt: skip
    captured = [s.order_id for s in outcome.transaction_sets if s.status == "captured"]
    with uow:
        documents.acknowledge(uow.conn, channel_id, settings, received.payload_id, answers)
        documents.watch(uow.conn, channel_id, captured)
        set_outcome(uow.conn, received.payload_id, outcome.model_dump(mode="json"))
        uow.record(actor, "edi.interchange_received", "inbound_payload", received.payload_id,
                   after=outcome.model_dump(mode="json"))  # fmt: skip
        uow.commit()
    return InterchangeReceipt(**outcome.model_dump(), replayed=False)


def _read(body: bytes, settings: EdiSettings) -> tuple[Interchange, list[PurchaseOrder]]:
    """The interchange and its purchase orders, or 422 listing every problem of its envelopes."""
    if len(body) > MAX_PAYLOAD_BYTES:
        raise ValidationFailed([FieldError((), f"an interchange is at most {MAX_PAYLOAD_BYTES} bytes", "too_large")])
    try:
        interchange = read_interchange(body)
    except InterchangeRefused as refused:
        raise _refusal(refused.problems) from None
    orders, problems = read_purchase_orders(interchange)
    problems = interchange.problems + party_problems(interchange, settings) + problems
    if problems:
        raise _refusal(problems)
    return interchange, orders


def _refusal(problems: list[Problem]) -> ValidationFailed:
    return ValidationFailed([FieldError(("segments", p.position, p.element or p.segment), str(p), "x12")
                             for p in problems])  # fmt: skip


def _received(uow: UnitOfWork, actor: Actor, channel_id: str, payload: Payload) -> tuple[Received, bool]:
    """The interchange as received before (a retry), or stored now (True), or just stored by a delivery of
    it racing this one."""
    with uow.reading():
        received = find_received(uow.conn, channel_id, "edi", payload.dedupe_key)
    if received is not None:
        return received, False
    try:
        with uow:
            payload_id = store_payload(uow.conn, actor, channel_id, payload)
            uow.commit()
        return Received(payload_id, None, None), True
    except DBAPIError as error:
        if not is_duplicate(error):
            raise
    with uow.reading():
        return find_received(uow.conn, channel_id, "edi", payload.dedupe_key), False


def _require_same(uow: UnitOfWork, payload_id: int, payload: Payload, interchange: Interchange) -> None:
    """The interchange stored under this one's sender and ISA13 must be this one again: the same segments,
    whatever line breaks came between them. Another is refused rather than answered as the first, which
    would drop its purchase orders unseen."""
    with uow.reading():
        stored = uow.conn.execute(_OTHER_BODY, {"id": payload_id, "sha256": payload.sha256}).scalar_one()
    if stored is None or split_segments(bytes(stored))[1] == split_segments(payload.body)[1]:
        return
    message = (f"interchange {interchange.control_number} from {interchange.sender} was received before (payload"
               f" {payload_id}) with other content: a new interchange takes a new control number")  # fmt: skip
    raise Conflict(message, [FieldError(("segments", 1, "ISA13"), message, "duplicate_control_number")])


def _capture_all(uow: UnitOfWork, actor: Actor, channel_id: str, settings: EdiSettings, payload_id: int,
                 orders: list[PurchaseOrder]) -> list[Answer]:  # fmt: skip
    catalogue = _catalogue(uow, orders, settings)
    answers, numbers = [], {}
    for po in orders:
        if po.number and po.number in numbers:
            problem = Problem.at(po.beg, 3, f"purchase order {po.number} is also the {numbers[po.number]}'s")
            answers.append(Answer(po, None, [problem]))
            continue
        numbers.setdefault(po.number, po.reference)
        answers.append(_capture(uow, actor, channel_id, settings, catalogue, payload_id, po))
    return answers


def _capture(uow: UnitOfWork, actor: Actor, channel_id: str, settings: EdiSettings, catalogue: Catalogue,
             payload_id: int, po: PurchaseOrder) -> Answer:  # fmt: skip
    cmd = to_order(po, channel_id, settings, catalogue)
    if isinstance(cmd, list):
        return Answer(po, None, cmd)
    source = OrderSource(source="edi", payload_id=payload_id, reference=po.reference)
    try:
        order, _ = capture_order(uow, actor, cmd, source)
    except ValidationFailed as refused:
        return Answer(po, None, [Problem(*_at(po, e.path), e.message) for e in refused.errors])
    except Conflict:
        with uow.reading():
            existing = uow.conn.execute(_EXISTING, {"channel": channel_id, "external_id": cmd.external_id}).scalar()
        if existing is None:
            raise  # stock kept changing: the partner's retry captures it
        return Answer(po, None, [Problem.at(po.beg, 3, f"purchase order {po.number} was captured before (order"
                                                       f" {existing}) with other content")])  # fmt: skip
    return Answer(po, order, [])


def _at(po: PurchaseOrder, path: tuple) -> tuple[str, int, None]:
    segment, _ = locate(po, path)
    return segment.tag, segment.position, None


def _catalogue(uow: UnitOfWork, orders: list[PurchaseOrder], settings: EdiSettings) -> Catalogue:
    skus, barcodes = product_ids(orders, settings)
    with uow.reading():
        products = uow.conn.execute(_PRODUCTS, {"skus": sorted(skus), "barcodes": sorted(barcodes)}).all()
        stores = uow.conn.execute(_STORES, {"ids": sorted(set(settings.stores.values()))}).mappings().all()
    return Catalogue(
        skus=frozenset(p.sku for p in products),
        gtins={gtin_key(p.barcode): p.sku for p in products if p.barcode and gtin_key(p.barcode)},
        stores={s["id"]: {k: s[k] for k in ("name", "line1", "postal_code", "city", "country")} for s in stores},
    )


def _set_outcome(answer: Answer, payload_id: int) -> TransactionSetOutcome:
    order: OrderPublic | None = answer.order
    if order is None:
        status, acknowledgement = "refused", "RD"
    else:
        status = "captured" if order.source.payload_id == payload_id else "duplicate"
        acknowledgement = acknowledgement_type(documents.line_outcomes(order))
    return TransactionSetOutcome(
        reference=answer.po.reference, purchase_order=answer.po.number, status=status,
        order_id=order.id if order else None, order_status=order.status if order else None,
        acknowledgement=acknowledgement, problems=[EdiProblem.of(p) for p in answer.problems],
    )  # fmt: skip
