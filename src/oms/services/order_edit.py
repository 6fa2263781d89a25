"""Editing an order before release: address, quantities, added and removed lines.

Lines whose quantity changes give their reservation back and are routed again with added lines
(oms.services.line_routing), so a larger quantity can come from another node and a smaller one frees
stock at once. Everything is checked before anything
changes, and all inventory rows involved are locked in one statement (see reservations.py).
"""

from sqlalchemy import Connection, Row, text

from oms.domain.allocation import LineRequest
from oms.domain.order_status import OPEN_LINE_STATUSES
from oms.services.actor import Actor
from oms.services.errors import FieldError, ValidationFailed
from oms.services.line_routing import route_lines
from oms.services.order_models import OrderEdit
from oms.services.reservations import lock_inventory, release

_LINES = text(
    """
    SELECT id, line_no, sku, quantity, status FROM order_lines WHERE order_id = :id ORDER BY line_no
    """
)
_CANCEL_LINES = text("UPDATE order_lines SET status = 'cancelled' WHERE id = ANY(:ids)")
_SET_QUANTITY = text("UPDATE order_lines SET quantity = :q WHERE id = :id")
_ADD_LINE = text(
    """
    INSERT INTO order_lines (order_id, line_no, sku, quantity, unit_price, status, external_line_id)
    VALUES (:order_id, :line_no, :sku, :quantity, :price, 'backordered', :external_line_id) RETURNING id
    """
)
_SET_ADDRESS = text("UPDATE orders SET ship_to = CAST(:ship_to AS jsonb), ship_to_country = :country WHERE id = :id")
_SET_TOTAL = text(
    """
    UPDATE orders SET total_amount = (SELECT coalesce(sum(quantity * unit_price), 0) FROM order_lines
                                      WHERE order_id = :id AND status <> 'cancelled')
    WHERE id = :id
    """
)


def apply_edit(conn: Connection, actor: Actor, order: Row, cmd: OrderEdit) -> None:
    lines = {line.line_no: line for line in conn.execute(_LINES, {"id": order.id})}
    _validate(conn, cmd, lines)
    changed = [(lines[q.line_no], q.quantity) for q in cmd.set_quantities]
    removed = [lines[n] for n in cmd.remove_lines]
    skus = [line.sku for line, _ in changed] + [line.sku for line in removed] + [a.sku for a in cmd.add_lines]
    locked = lock_inventory(conn, skus)
    release(conn, locked, order.id, [line.id for line, _ in changed] + [line.id for line in removed])
    if removed:
        conn.execute(_CANCEL_LINES, {"ids": [line.id for line in removed]})
    for line, qty in changed:
        conn.execute(_SET_QUANTITY, {"q": qty, "id": line.id})
    requests = [(line.id, LineRequest(line.line_no, line.sku, qty)) for line, qty in changed]
    requests += _add_lines(conn, order.id, max(lines) + 1, cmd)
    if cmd.ship_to:
        conn.execute(
            _SET_ADDRESS,
            {"ship_to": cmd.ship_to.model_dump_json(), "country": cmd.ship_to.country, "id": order.id},
        )
    conn.execute(_SET_TOTAL, {"id": order.id})
    if requests:  # routed to the new address and order value, so they are written first
        route_lines(conn, actor, order, requests, locked, "edit")


def _add_lines(conn: Connection, order_id: int, first_no: int, cmd: OrderEdit) -> list[tuple[int, LineRequest]]:
    """Insert the added lines (backordered until routed) numbered from `first_no`."""
    requests = []
    for line_no, new in enumerate(cmd.add_lines, start=first_no):
        params = {"order_id": order_id, "line_no": line_no, "sku": new.sku, "quantity": new.quantity,
                  "price": new.unit_price, "external_line_id": new.external_line_id}
        requests.append((conn.execute(_ADD_LINE, params).scalar_one(), LineRequest(line_no, new.sku, new.quantity)))
    return requests


def _validate(conn: Connection, cmd: OrderEdit, lines: dict[int, Row]) -> None:
    errors: list[FieldError] = []

    def editable(line_no: int, path: tuple) -> None:
        line = lines.get(line_no)
        if line is None or line.status not in OPEN_LINE_STATUSES:
            errors.append(FieldError(path, f"no open line {line_no} on this order", "unknown_line"))

    for i, q in enumerate(cmd.set_quantities):
        editable(q.line_no, ("set_quantities", i, "line_no"))
    for i, line_no in enumerate(cmd.remove_lines):
        editable(line_no, ("remove_lines", i))
    kept = {line.sku for line in lines.values() if line.status != "cancelled" and line.line_no not in cmd.remove_lines}
    known = set(conn.execute(text("SELECT sku FROM products WHERE sku = ANY(:s) AND active"),
                             {"s": [a.sku for a in cmd.add_lines]}).scalars())
    for i, new in enumerate(cmd.add_lines):
        if new.sku not in known:
            errors.append(FieldError(("add_lines", i, "sku"), f"unknown or inactive SKU '{new.sku}'", "unknown_sku"))
        elif new.sku in kept:
            errors.append(FieldError(("add_lines", i, "sku"), f"the order already has a line for '{new.sku}'",
                                     "duplicate_sku"))
    if errors:
        raise ValidationFailed(errors)
