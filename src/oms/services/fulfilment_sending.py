"""Sending released fulfilment orders to their node's WMS: the worker's periodic job (`send_due_releases`).

A fulfilment order is due while `next_attempt_at` has passed. A run claims a batch with FOR UPDATE SKIP
LOCKED, counting the attempt and leasing it for `LEASE_SECONDS` (so several workers never send the same
one at once, and a worker killed mid-send leaves it due again), sends each outside any transaction, then
records the result: sent (an HTTP 2xx also acknowledges it), or the error and the next attempt, backing
off exponentially with jitter (oms.domain.webhook_retry, never giving up: a node's releases must
arrive). An acknowledgement from the WMS by event
stops the sending too (oms.services.wms_events)."""

import logging
import random
from datetime import date, datetime

import orjson
from sqlalchemy import Engine, text

from oms.domain.fulfilment import FulfilmentStatus
from oms.domain.webhook_retry import RetryPolicy, retry_delay
from oms.services.actor import Actor, Role
from oms.services.fulfilment_queries import fetch_fulfilment_order
from oms.services.fulfilment_state import refresh_status
from oms.services.leases import claim_attempt
from oms.services.uow import UnitOfWork
from oms.wms import transports

SENDER = Actor(name="wms-sender", role=Role.ADMIN)
LEASE_SECONDS = 60
BATCH = 20
RETRY = RetryPolicy(base_s=30.0, cap_s=3600.0)
log = logging.getLogger(__name__)

_CLAIM = claim_attempt("fulfilment_orders")
_DOCUMENT = text(
    """
    SELECT f.id, f.order_id, f.node_id, f.ship_by, f.deliver_by, f.created_at, o.external_id, o.channel_id,
           o.service_level, o.pickup_node_id, o.ship_to, c.name AS customer_name, c.email AS customer_email,
           c.phone AS customer_phone, i.transport, i.endpoint_url, i.secret, i.drop_dir,
           (SELECT json_agg(json_build_object('line_no', l.line_no, 'sku', fl.sku, 'name', p.name,
                                              'barcode', p.barcode, 'quantity', fl.quantity) ORDER BY l.line_no)
            FROM fulfilment_order_lines fl JOIN order_lines l ON l.id = fl.order_line_id
            JOIN products p ON p.sku = fl.sku WHERE fl.fulfilment_order_id = f.id) AS lines
    FROM fulfilment_orders f JOIN orders o ON o.id = f.order_id JOIN customers c ON c.id = o.customer_id
    LEFT JOIN node_integrations i ON i.node_id = f.node_id
    WHERE f.id = :id
    """
)
_SENT = text(
    """
    UPDATE fulfilment_orders
    SET sent_at = coalesce(sent_at, now()), next_attempt_at = NULL, last_error = NULL,
        wms_reference = coalesce(wms_reference, :reference),
        acknowledged_at = CASE WHEN :acknowledged THEN least(acknowledged_at, now()) ELSE acknowledged_at END
    WHERE id = :id
    """
)
# Only while still due: an acknowledgement by event meanwhile has stopped the sending.
_FAILED = text(
    """
    UPDATE fulfilment_orders SET last_error = :error, next_attempt_at = now() + make_interval(secs => :wait)
    WHERE id = :id AND next_attempt_at IS NOT NULL
    """
)
_NOTHING_TO_SEND = text("UPDATE fulfilment_orders SET next_attempt_at = NULL WHERE id = :id")


def send_due_releases(engine: Engine) -> int:
    """Send the fulfilment orders due now (one batch); returns how many were tried."""
    with engine.begin() as conn:
        claimed = conn.execute(_CLAIM, {"lease": LEASE_SECONDS, "batch": BATCH}).all()
    for fulfilment_order_id, attempts in claimed:
        _send(UnitOfWork(engine), fulfilment_order_id, attempts)
    return len(claimed)


def _send(uow: UnitOfWork, fulfilment_order_id: int, attempts: int) -> None:
    with uow.reading():
        row = uow.conn.execute(_DOCUMENT, {"id": fulfilment_order_id}).one()
    body = orjson.dumps(document(row), option=orjson.OPT_SORT_KEYS)
    name = f"fulfilment-order-{row.id}"
    try:
        delivered = transports.deliver(row, body, name, f"{name}.json")
    except transports.SendFailed as failure:
        log.warning("sending fulfilment order %s failed (attempt %d): %s", row.id, attempts, failure)
        with uow.autocommit():
            uow.conn.execute(_FAILED, {"id": row.id, "error": str(failure), "wait": retry_delay(RETRY, attempts, random.random())})
        return
    if delivered is None:  # the node became manual since this was scheduled
        with uow.autocommit():
            uow.conn.execute(_NOTHING_TO_SEND, {"id": fulfilment_order_id})
        return
    _record_sent(uow, row.id, row.order_id, delivered)


def _record_sent(uow: UnitOfWork, fulfilment_order_id: int, order_id: int, delivered: transports.Delivered) -> None:
    with uow:
        params = {"id": fulfilment_order_id, "reference": delivered.reference, "acknowledged": delivered.acknowledged}
        uow.conn.execute(_SENT, params)
        before, after = refresh_status(uow.conn, fulfilment_order_id)
        view = fetch_fulfilment_order(uow.conn, fulfilment_order_id).model_dump(mode="json")
        uow.record(SENDER, "fulfilment.sent", "fulfilment_order", fulfilment_order_id, after=view, order_id=order_id)
        if before == FulfilmentStatus.RELEASED and after == FulfilmentStatus.ACKNOWLEDGED:
            uow.record(SENDER, "fulfilment.acknowledged", "fulfilment_order", fulfilment_order_id, after=view,
                       order_id=order_id, publish="fulfilment.acknowledged")  # fmt: skip
        uow.commit()


def document(row) -> dict:
    """The release document a WMS receives: what to ship, to whom, by when."""
    return {
        "type": "fulfilment_order",
        "version": 1,
        "fulfilment_order_id": row.id,
        "order_id": row.order_id,
        "external_id": row.external_id,
        "channel": row.channel_id,
        "node_id": row.node_id,
        "service_level": row.service_level,
        "pickup_node_id": row.pickup_node_id,
        "ship_by": _iso(row.ship_by),
        "deliver_by": _iso(row.deliver_by),
        "released_at": _iso(row.created_at),
        "customer": {"name": row.customer_name, "email": row.customer_email, "phone": row.customer_phone},
        "ship_to": row.ship_to,
        "lines": row.lines,
    }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
