"""Inspecting received units where they arrived: each quantity with its condition and disposition.

Restock adds the units to sellable stock at the receiving node (creating the position if the node never
carried the SKU), so ATP there rises; quarantine keeps them counted at the node but out of ATP until
released or written off (oms.services.quarantine); write-off records them with the price they were paid.
Stock changes are announced to the promise caches at commit by the inventory table's triggers (migration
0003), like every count. Refundable units are then settled (oms.services.refunds), unless the policy
settled them on receipt already.
"""

from collections import Counter

from sqlalchemy import Connection, Row, text

from oms.db.engine import dumps_json
from oms.domain.returns import Disposition, ReasonCode, ReturnStatus, refund_eligible
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, ValidationFailed
from oms.services.quarantine import add_to_quarantine
from oms.services.refunds import refunds_on_receipt, settle_units
from oms.services.return_actions import Outcome, act
from oms.services.return_models import InspectionCreate, ReturnPublic
from oms.services.uow import UnitOfWork

INSPECTABLE = frozenset({ReturnStatus.PARTIALLY_RECEIVED, ReturnStatus.RECEIVED})

_LINES = text(
    """
    SELECT l.id, l.line_no, l.sku, l.unit_price, l.reason_code, l.settled_quantity,
           (SELECT coalesce(sum(quantity), 0) FROM return_receipts
            WHERE return_line_id = l.id AND node_id = :node_id) AS received_here,
           (SELECT coalesce(sum(quantity), 0) FROM return_inspections
            WHERE return_line_id = l.id AND node_id = :node_id) AS inspected_here
    FROM return_lines l WHERE l.return_id = :id
    """
)
_INSPECT = text(
    """
    WITH v AS (SELECT * FROM jsonb_to_recordset(CAST(:rows AS jsonb))
               AS v(line_id bigint, quantity int, condition text, disposition text, refundable bool, note text)),
    inspected AS (
      INSERT INTO return_inspections (return_id, return_line_id, node_id, quantity, condition, disposition,
                                      refundable, note, inspected_by)
      SELECT :return_id, line_id, :node_id, quantity, condition, disposition, refundable, note, :actor FROM v)
    UPDATE return_lines l SET inspected_quantity = inspected_quantity + s.quantity
    FROM (SELECT line_id, sum(quantity) AS quantity FROM v GROUP BY line_id) s WHERE l.id = s.line_id
    """
)
# Rows in SKU order (one node): the global lock order of inventory rows (oms.services.reservations).
_RESTOCK = text(
    """
    INSERT INTO inventory (node_id, sku, on_hand)
    SELECT :node_id, sku, quantity FROM jsonb_to_recordset(CAST(:units AS jsonb)) AS v(sku text, quantity int)
    ORDER BY sku
    ON CONFLICT (node_id, sku) DO UPDATE SET on_hand = inventory.on_hand + excluded.on_hand, updated_at = now()
    """
)
_WRITE_OFF = text(
    """
    INSERT INTO stock_write_offs (node_id, sku, quantity, unit_value, value, currency, source, return_id, reason,
                                  created_by)
    SELECT :node_id, sku, quantity, unit_price, unit_price * quantity, :currency, 'return_inspection', :return_id,
           :reason, :actor
    FROM jsonb_to_recordset(CAST(:units AS jsonb)) AS v(sku text, quantity int, unit_price numeric)
    RETURNING sku, quantity, unit_value, value
    """
)
_REFUNDABLE = text(
    """
    SELECT l.line_no, coalesce(sum(i.quantity) FILTER (WHERE i.refundable), 0) - l.settled_quantity AS due
    FROM return_lines l LEFT JOIN return_inspections i ON i.return_line_id = l.id
    WHERE l.return_id = :id GROUP BY l.id
    """
)


def inspect(uow: UnitOfWork, actor: Actor, return_id: int, cmd: InspectionCreate) -> ReturnPublic:
    """Inspect units received at `cmd.node_id` and apply their dispositions; 422 (nothing changed) for a
    line or more units than received there and not yet inspected."""

    def record_inspection(conn: Connection, ret: Row) -> Outcome:
        lines = {r.line_no: r for r in conn.execute(_LINES, {"id": ret.id, "node_id": cmd.node_id})}
        if errors := _inspection_errors(cmd, lines):
            raise ValidationFailed(errors)
        rows = [{"line_id": lines[x.line_no].id, "quantity": x.quantity, "condition": x.condition.value,
                 "disposition": x.disposition.value, "note": x.note,
                 "refundable": refund_eligible(ReasonCode(lines[x.line_no].reason_code), x.condition)}
                for x in cmd.lines]  # fmt: skip
        conn.execute(_INSPECT, {"return_id": ret.id, "node_id": cmd.node_id, "actor": actor.name,
                                "rows": dumps_json(rows)})  # fmt: skip
        events = _dispose(conn, actor, ret, cmd, lines)
        if not refunds_on_receipt(conn, ret):
            due = {r.line_no: r.due for r in conn.execute(_REFUNDABLE, {"id": ret.id})}
            events += settle_units(conn, actor, ret, due)
        return Outcome(details={"inspection": cmd.model_dump(mode="json")}, events=events)

    return act(uow, actor, return_id, Permission.RETURNS_PROCESS, INSPECTABLE, "return.inspected", record_inspection)


def _inspection_errors(cmd: InspectionCreate, lines: dict[int, Row]) -> list[FieldError]:
    errors, asked = [], Counter()
    for index, x in enumerate(cmd.lines):
        line = lines.get(x.line_no)
        if line is None:
            errors.append(FieldError(("lines", index, "line_no"), f"the return has no line {x.line_no}", "unknown_line"))
            continue
        asked[x.line_no] += x.quantity
        waiting = line.received_here - line.inspected_here
        if asked[x.line_no] > waiting:
            errors.append(FieldError(("lines", index, "quantity"),
                                     f"{waiting} unit(s) of line {x.line_no} received at {cmd.node_id} wait for "
                                     "inspection", "over_inspection"))  # fmt: skip
    return errors


def _dispose(conn: Connection, actor: Actor, ret: Row, cmd: InspectionCreate, lines: dict[int, Row]) -> list[dict]:
    """Move the inspected units where their dispositions say (quarantine rows before inventory rows: the
    lock order quarantine releases take too); the audit events of the stock moved."""
    units: dict[Disposition, Counter] = {d: Counter() for d in Disposition}
    for x in cmd.lines:
        units[x.disposition][lines[x.line_no].sku] += x.quantity
    prices = {line.sku: line.unit_price for line in lines.values()}
    moved = {"rma_number": ret.rma_number, "node_id": cmd.node_id}
    events = []
    if quarantined := units[Disposition.QUARANTINE]:
        add_to_quarantine(conn, cmd.node_id, quarantined)
        events.append(_stock_event("inventory.quarantined", cmd.node_id, ret, moved | {"units": quarantined}))
    if restocked := units[Disposition.RESTOCK]:
        conn.execute(_RESTOCK, {"node_id": cmd.node_id, "units": _units_json(restocked)})
        events.append(_stock_event("inventory.restocked", cmd.node_id, ret, moved | {"units": restocked}))
    if written_off := units[Disposition.WRITE_OFF]:
        rows = conn.execute(_WRITE_OFF, {
            "node_id": cmd.node_id, "currency": ret.currency, "return_id": ret.id, "actor": actor.name,
            "reason": f"{ret.rma_number}: inspected", "units": dumps_json(
                [{"sku": sku, "quantity": q, "unit_price": prices[sku]} for sku, q in written_off.items()]),
        }).mappings().all()  # fmt: skip
        events.append(_stock_event("inventory.written_off", cmd.node_id, ret,
                                   moved | {"currency": ret.currency, "write_offs": [dict(r) for r in rows]}))
    return events


def _units_json(units: Counter) -> str:
    return dumps_json([{"sku": sku, "quantity": q} for sku, q in sorted(units.items())])


def _stock_event(action: str, node_id: str, ret: Row, after: dict) -> dict:
    return {"action": action, "entity_type": "inventory", "entity_id": node_id, "after": after,
            "order_id": ret.order_id}  # fmt: skip
