"""Settling returned units: a refund to the original payment, or store credit, computed by
oms.domain.refunds from the prices paid, within the unit of work that received or inspected them.

When: units are settled once inspected and found refundable (a unit the customer damaged is not), or as
soon as they arrive when the policy refunds returns worth little on receipt (`refund_on_receipt_up_to`):
the retailer then trusts the customer rather than pay for an inspection before refunding. No payment
gateway exists: the refund record (status issued) is what a payment integration acts on, through its
`refund.issued` webhook event.
"""

from decimal import Decimal

from sqlalchemy import Connection, Row, text

from oms.db.engine import dumps_json
from oms.domain.refunds import Breakdown, SettledUnits, Settlement, settle
from oms.domain.returns import ReasonCode, Resolution, ReturnPolicy
from oms.services.actor import Actor
from oms.services.return_queries import fetch_refund
from oms.services.store_credit import credit

# What a settlement of a return must know of its order: the shipping it paid and whether an earlier
# refund gave it back, the units it ships in all (a line cancelled counts what it shipped; one still
# backordered or on its way counts whole, so the shipping of a partly shipped order is not refunded while
# the rest is still to come) and those settled on all its returns; and of its exchange order,
# what it is worth now (a line cancelled counts what it shipped: a replacement that never leaves is not
# paid for) and what earlier settlements of this return paid towards it.
_FACTS = text(
    """
    SELECT o.service_level,
           EXISTS (SELECT 1 FROM refunds f WHERE f.order_id = o.id AND f.shipping > 0) AS shipping_refunded,
           (SELECT coalesce(sum(CASE WHEN status = 'cancelled' THEN shipped_quantity ELSE quantity END), 0)
            FROM order_lines WHERE order_id = o.id) AS ships,
           (SELECT coalesce(sum(rl.settled_quantity), 0) FROM return_lines rl JOIN returns r ON r.id = rl.return_id
            WHERE r.order_id = o.id) AS settled,
           (SELECT coalesce(sum(l.unit_price * CASE WHEN l.status = 'cancelled' THEN l.shipped_quantity
                                                      ELSE l.quantity END), 0)
            FROM order_lines l WHERE l.order_id = :exchange_order_id) AS exchange_value,
           (SELECT coalesce(sum(CAST(f.breakdown ->> 'exchange_paid' AS numeric)), 0) FROM refunds f
            WHERE f.return_id = :return_id) AS exchange_paid
    FROM orders o WHERE o.id = :order_id
    """
)
_SETTLE_LINES = text(
    """
    UPDATE return_lines l SET settled_quantity = settled_quantity + v.quantity
    FROM jsonb_to_recordset(CAST(:units AS jsonb)) AS v(line_no int, quantity int)
    WHERE l.return_id = :return_id AND l.line_no = v.line_no
    """
)
_INSERT = text(
    """
    INSERT INTO refunds (return_id, order_id, customer_id, method, amount, currency, shipping, breakdown, created_by)
    VALUES (:return_id, :order_id, :customer_id, :method, :amount, :currency, :shipping, CAST(:breakdown AS jsonb),
            :actor)
    RETURNING id
    """
)


def refunds_on_receipt(conn: Connection, ret: Row) -> bool:
    """Whether the return is worth little enough for its policy to refund its units as they arrive."""
    limit = ReturnPolicy.model_validate(ret.policy).refund_on_receipt_up_to
    value = conn.execute(text("SELECT sum(quantity * unit_price) FROM return_lines WHERE return_id = :id"),
                         {"id": ret.id}).scalar()  # fmt: skip
    return limit is not None and value <= limit


def settle_units(conn: Connection, actor: Actor, ret: Row, units: dict[int, int]) -> list[dict]:
    """Settle `units` (line number -> units) of the locked return `ret`; the audit events to record."""
    units = {no: qty for no, qty in units.items() if qty > 0}
    if not units:
        return []
    lines = conn.execute(text("SELECT line_no, sku, unit_price, reason_code FROM return_lines WHERE return_id = :id"),
                         {"id": ret.id}).all()  # fmt: skip
    settled = [SettledUnits(r.line_no, r.sku, units[r.line_no], r.unit_price, ReasonCode(r.reason_code))
               for r in lines if r.line_no in units]  # fmt: skip
    conn.execute(_SETTLE_LINES, {"return_id": ret.id, "units": dumps_json(
        [{"line_no": no, "quantity": qty} for no, qty in units.items()])})  # fmt: skip
    breakdown = settle(settled, _settlement(conn, ret))
    return _issue(conn, actor, ret, breakdown)


def _settlement(conn: Connection, ret: Row) -> Settlement:
    facts = conn.execute(_FACTS, {"order_id": ret.order_id, "return_id": ret.id,
                                  "exchange_order_id": ret.exchange_order_id}).one()  # fmt: skip
    policy = ReturnPolicy.model_validate(ret.policy)
    return Settlement(
        currency=ret.currency,
        resolution=Resolution(ret.resolution),
        policy=policy,
        shipping_charge=policy.shipping_fees.get(facts.service_level, Decimal(0)),
        shipping_refunded_before=facts.shipping_refunded,
        whole_order_back=facts.settled >= facts.ships > 0,
        exchange_value=facts.exchange_value,
        exchange_paid_before=facts.exchange_paid,
    )


def _issue(conn: Connection, actor: Actor, ret: Row, breakdown: Breakdown) -> list[dict]:
    method = "store_credit" if ret.resolution == Resolution.STORE_CREDIT else "original_payment"
    refund_id = conn.execute(_INSERT, {
        "return_id": ret.id, "order_id": ret.order_id, "customer_id": ret.customer_id, "method": method,
        "amount": breakdown.total, "currency": ret.currency, "shipping": breakdown.shipping,
        "breakdown": dumps_json(_breakdown_json(breakdown)), "actor": actor.name,
    }).scalar_one()  # fmt: skip
    refund = fetch_refund(conn, refund_id).model_dump(mode="json")
    # An exchange paid in full by the units refunds nothing: the record stays, the event would mislead.
    events = [{"action": "refund.issued", "entity_type": "refund", "entity_id": refund_id, "after": refund,
               "order_id": ret.order_id, "publish": "refund.issued" if breakdown.total > 0 else None}]  # fmt: skip
    if method == "store_credit" and breakdown.total > 0:
        entry = credit(conn, actor, ret.customer_id, ret.currency, breakdown.total, refund_id,
                       f"{ret.rma_number}: returned units")  # fmt: skip
        events.append({"action": "store_credit.issued", "entity_type": "customer", "entity_id": ret.customer_id,
                       "after": entry, "order_id": ret.order_id, "publish": "store_credit.issued"})  # fmt: skip
    return events


def _breakdown_json(b: Breakdown) -> dict:
    lines = [{"line_no": x.line_no, "sku": x.sku, "quantity": x.quantity, "unit_price": x.unit_price,
              "reason_code": x.reason.value, "merchandise": x.merchandise, "fee_percent": x.fee_percent,
              "restocking_fee": x.restocking_fee} for x in b.lines]  # fmt: skip
    return {"lines": lines, "merchandise": b.merchandise, "restocking_fee": b.restocking_fee, "shipping": b.shipping,
            "exchange_paid": b.exchange_paid, "bonus": b.bonus, "total": b.total}  # fmt: skip
