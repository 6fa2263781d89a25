"""The X12 documents an EDI channel is owed: an 855 for each purchase order received (its order's
allocation, or its refusal) and an 856 for each shipment of an order captured from an 850.

Each is queued once (oms.services.channel_documents: kind edi_855 subject order:<id>, or refusal:<payload
id>:<reference> for a refused purchase order; kind edi_856 subject shipment:<id>) in its own interchange,
with the channel's next control numbers. Taking them locks the channel's counter row, so the channel's
writers take turns: none queues a document another has just queued, and the numbers have no gaps.

856s are made by a worker job, `send_ship_notices`, which looks for shipments without one among the
orders in edi_open_orders only (the EDI orders that may still ship), and forgets an order once it can
ship no more and each of its shipments has its 856: when nothing ships, a run reads a few rows.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

from oms.channels.edi.acknowledgement import LineOutcome, acknowledgement
from oms.channels.edi.envelope import read_interchange
from oms.channels.edi.purchase_order import PoLine, PurchaseOrder, read_purchase_orders
from oms.channels.edi.settings import EdiSettings
from oms.channels.edi.ship_notice import Place, Shipment, ShippedLine, ship_notice
from oms.channels.edi.writer import CONTENT_TYPE, Controls, delimiters_for, envelope_for, write_document
from oms.channels.edi.x12 import Problem
from oms.services.actor import SYSTEM
from oms.services.channel_documents import queue_document
from oms.services.channel_integrations import load_integration
from oms.services.fulfilment_models import ShipmentPublic
from oms.services.order_models import OrderPublic
from oms.services.order_queries import fetch_order
from oms.services.shipment_progress import fetch_shipment
from oms.services.uow import UnitOfWork

BATCH = 50
log = logging.getLogger(__name__)

_LOCK = text(  # the update changes nothing but locks the row, made on first use
    """
    INSERT INTO edi_control_numbers (channel_id) VALUES (:channel)
    ON CONFLICT (channel_id) DO UPDATE SET channel_id = excluded.channel_id
    """
)
_NEXT = text(
    """
    UPDATE edi_control_numbers SET interchange = interchange % 999999999 + 1,
      functional_group = functional_group % 999999999 + 1, transaction_set = transaction_set % 999999999 + 1,
      updated_at = now()
    WHERE channel_id = :channel
    RETURNING interchange, functional_group, transaction_set, now() AS now
    """
)
_QUEUED = text("SELECT EXISTS (SELECT 1 FROM channel_documents WHERE channel_id = :channel AND kind = :kind"
               " AND subject = :subject)")  # fmt: skip
_PAYLOAD = text("SELECT body FROM inbound_payloads WHERE id = :id")
_NODE = text("SELECT name, line1, postal_code, city, country FROM nodes WHERE id = :id")
_WATCH = text(
    """
    INSERT INTO edi_open_orders (order_id, channel_id) SELECT unnest(CAST(:ids AS bigint[])), :channel
    ON CONFLICT (order_id) DO NOTHING
    """
)
_NO_856 = """NOT EXISTS (SELECT 1 FROM channel_documents d WHERE d.channel_id = w.channel_id AND d.kind = 'edi_856'
                         AND d.subject = 'shipment:' || s.id)"""
_DUE = text(
    f"""
    SELECT s.id AS shipment_id, w.order_id, w.channel_id FROM edi_open_orders w
    JOIN shipments s ON s.order_id = w.order_id
    WHERE {_NO_856} ORDER BY s.id LIMIT :batch
    """
)
_FORGET = text(
    f"""
    DELETE FROM edi_open_orders w USING orders o
    WHERE o.id = w.order_id AND o.status IN ('shipped', 'partially_delivered', 'delivered', 'cancelled')
      AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = w.order_id AND {_NO_856})
    """
)


@dataclass(frozen=True, slots=True)
class Answer:
    """What to acknowledge of one purchase order: its order, or why it was refused."""

    po: PurchaseOrder
    order: OrderPublic | None
    problems: list[Problem]


def acknowledge(conn: Connection, channel_id: str, settings: EdiSettings, payload_id: int,
                answers: list[Answer]) -> None:  # fmt: skip
    """Queue the 855 of each answer not acknowledged yet, in the caller's transaction."""
    _lock(conn, channel_id)
    for answer in answers:
        subject = f"order:{answer.order.id}" if answer.order else f"refusal:{payload_id}:{answer.po.reference}"
        if conn.execute(_QUEUED, {"channel": channel_id, "kind": "edi_855", "subject": subject}).scalar_one():
            continue
        controls, now = _next_controls(conn, channel_id)
        if answer.order:
            order = answer.order
            segments = acknowledgement(answer.po, now.date(), order.id, line_outcomes(order), order.promised_ship_date)
        else:
            segments = acknowledgement(answer.po, now.date(), reasons=[str(p) for p in answer.problems])
        body = _document("855", segments, answer.po, settings, controls, now)
        queue_document(conn, channel_id, "edi_855", subject, CONTENT_TYPE, body,
                       answer.order.id if answer.order else None)  # fmt: skip


def watch(conn: Connection, channel_id: str, order_ids: list[int]) -> None:
    """Orders captured from 850s: their shipments will owe 856s."""
    if order_ids:
        conn.execute(_WATCH, {"ids": order_ids, "channel": channel_id})


def line_outcomes(order: OrderPublic) -> list[LineOutcome]:
    """Per line: units reserved or shipped, units waiting for stock, units cancelled."""
    outcomes = []
    for line in sorted(order.lines, key=lambda line: line.line_no):
        accepted = line.allocated_quantity + line.shipped_quantity
        outcomes.append(LineOutcome(accepted, line.backordered_quantity,
                                    line.quantity - accepted - line.backordered_quantity))  # fmt: skip
    return outcomes


def send_ship_notices(engine: Engine, batch: int = BATCH) -> int:
    """The worker's job: queue the 856 of each shipment of an EDI order that has none yet; how many."""
    with engine.connect() as conn:
        due = conn.execute(_DUE, {"batch": batch}).all()
    queued = 0
    for row in due:
        try:
            queued += _queue_ship_notice(engine, row.shipment_id, row.order_id, row.channel_id)
        except Exception:  # one shipment's notice must not hold up the others'; it is tried again next run
            log.exception("no 856 for shipment %s of order %s", row.shipment_id, row.order_id)
    with engine.begin() as conn:
        conn.execute(_FORGET)
    return queued


def _queue_ship_notice(engine: Engine, shipment_id: int, order_id: int, channel_id: str) -> bool:
    subject = f"shipment:{shipment_id}"
    with UnitOfWork(engine) as uow:
        conn = uow.conn
        _lock(conn, channel_id)
        if conn.execute(_QUEUED, {"channel": channel_id, "kind": "edi_856", "subject": subject}).scalar_one():
            return False  # another worker's, meanwhile
        order, shipment = fetch_order(conn, order_id), fetch_shipment(conn, shipment_id)
        po = purchase_order_of(conn, order)
        integration = load_integration(conn, channel_id, "edi")
        settings = integration.settings if integration else EdiSettings()
        notice = ship_notice(po, _shipment(conn, po, order, shipment))
        controls, now = _next_controls(conn, channel_id)
        body = _document("856", notice, po, settings, controls, now)
        document_id = queue_document(conn, channel_id, "edi_856", subject, CONTENT_TYPE, body, order_id)
        uow.record(SYSTEM, "edi.ship_notice_queued", "shipment", shipment_id, order_id=order_id,
                   after={"document_id": document_id, "interchange": f"{controls.interchange:09d}"})  # fmt: skip
        uow.commit()
    return True


def purchase_order_of(conn: Connection, order: OrderPublic) -> PurchaseOrder:
    """The 850 an order was captured from, read again from the interchange as received."""
    body = conn.execute(_PAYLOAD, {"id": order.source.payload_id}).scalar_one()
    orders, _ = read_purchase_orders(read_interchange(bytes(body)))
    return next(po for po in orders if po.reference == order.source.reference)


def _shipment(conn: Connection, po: PurchaseOrder, order: OrderPublic, shipment: ShipmentPublic) -> Shipment:
    node = conn.execute(_NODE, {"id": shipment.node_id}).one()
    ship_to = order.ship_to
    st = po.location("ST")
    numbers = [shipment.tracking_number, *(p.get("tracking_number") for p in shipment.parcels)]
    return Shipment(
        id=shipment.id, shipped_at=shipment.shipped_at, carrier=shipment.carrier,
        tracking_numbers=tuple(dict.fromkeys(n for n in numbers if n)), cartons=max(len(shipment.parcels), 1),
        weight_kg=shipment.weight_kg,
        ship_from=Place(node.name, node.line1, None, node.city, node.postal_code, node.country),
        ship_to=Place(ship_to["name"], ship_to["line1"], ship_to.get("line2"), ship_to["city"], ship_to["postal_code"],
                      ship_to["country"], st.code if st and st.code[0] else None),
        lines=tuple(ShippedLine(_ordered(po, line.line_no), line.sku, line.quantity) for line in shipment.lines),
    )  # fmt: skip


def _ordered(po: PurchaseOrder, line_no: int) -> PoLine | None:
    """The PO1 of order line `line_no` (captured in the 850's order); None for a line an edit added."""
    return po.lines[line_no - 1] if line_no <= len(po.lines) else None


def _lock(conn: Connection, channel_id: str) -> None:
    conn.execute(_LOCK, {"channel": channel_id})


def _next_controls(conn: Connection, channel_id: str) -> tuple[Controls, dt.datetime]:
    row = conn.execute(_NEXT, {"channel": channel_id}).one()
    return Controls(row.interchange, row.functional_group, row.transaction_set), row.now


def _document(code: str, segments: list[list[str]], po: PurchaseOrder, settings: EdiSettings, controls: Controls,
              now: dt.datetime) -> bytes:  # fmt: skip
    envelope = envelope_for(settings, po)
    return write_document(code, segments, envelope, controls, delimiters_for(settings, envelope), now)
