"""Receiving returned units at any node (a web order brought back to a store is normal), in as many
receipts as they arrive in; never more than the RMA authorised."""

from sqlalchemy import Connection, Row, text

from oms.db.engine import dumps_json
from oms.domain.returns import AWAITING, ReturnStatus
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, ValidationFailed
from oms.services.refunds import refunds_on_receipt, settle_units
from oms.services.return_actions import Outcome, act
from oms.services.return_models import ReceiptCreate, ReturnPublic
from oms.services.uow import UnitOfWork

RECEIVABLE = AWAITING | {ReturnStatus.PARTIALLY_RECEIVED}

_LINES = text("SELECT id, line_no, quantity, received_quantity FROM return_lines WHERE return_id = :id")
_RECEIVE = text(
    """
    WITH v AS (SELECT * FROM jsonb_to_recordset(CAST(:lines AS jsonb)) AS v(line_id bigint, quantity int)),
    received AS (
      INSERT INTO return_receipts (return_id, return_line_id, node_id, quantity, received_by)
      SELECT :return_id, line_id, :node_id, quantity, :actor FROM v)
    UPDATE return_lines l SET received_quantity = received_quantity + v.quantity FROM v WHERE l.id = v.line_id
    """
)


def receive(uow: UnitOfWork, actor: Actor, return_id: int, cmd: ReceiptCreate) -> ReturnPublic:
    """Record units arriving at `cmd.node_id`; 422 (nothing stored) for an unknown node or line, or more
    units than still expected. Settles them at once when the policy refunds on receipt."""

    def record_receipt(conn: Connection, ret: Row) -> Outcome:
        lines = {r.line_no: r for r in conn.execute(_LINES, {"id": ret.id})}
        if errors := _receipt_errors(conn, cmd, lines):
            raise ValidationFailed(errors)
        received = {x.line_no: x.quantity for x in cmd.lines}
        conn.execute(_RECEIVE, {"return_id": ret.id, "node_id": cmd.node_id, "actor": actor.name, "lines": dumps_json(
            [{"line_id": lines[no].id, "quantity": qty} for no, qty in received.items()])})  # fmt: skip
        events = settle_units(conn, actor, ret, received) if refunds_on_receipt(conn, ret) else []
        return Outcome(details={"receipt": cmd.model_dump(mode="json")}, events=events)

    return act(uow, actor, return_id, Permission.RETURNS_PROCESS, RECEIVABLE, "return.received", record_receipt)


def _receipt_errors(conn: Connection, cmd: ReceiptCreate, lines: dict[int, Row]) -> list[FieldError]:
    errors = []
    if conn.execute(text("SELECT 1 FROM nodes WHERE id = :id"), {"id": cmd.node_id}).first() is None:
        errors.append(FieldError(("node_id",), f"unknown node '{cmd.node_id}'", "unknown_node"))
    seen: set[int] = set()
    for index, x in enumerate(cmd.lines):
        line = lines.get(x.line_no)
        if x.line_no in seen:
            errors.append(FieldError(("lines", index, "line_no"), f"line {x.line_no} is listed twice", "repeated"))
        elif line is None:
            errors.append(FieldError(("lines", index, "line_no"), f"the return has no line {x.line_no}", "unknown_line"))
        elif x.quantity > line.quantity - line.received_quantity:
            errors.append(FieldError(("lines", index, "quantity"),
                                     f"{line.quantity - line.received_quantity} unit(s) of line {x.line_no} are still "
                                     f"expected ({line.quantity} authorised, {line.received_quantity} received)",
                                     "over_receipt"))  # fmt: skip
        seen.add(x.line_no)
    return errors
