"""Quarantined stock: returned units counted at a node but kept out of ATP (they are not in inventory's
on hand) until ops release them to sellable stock there or write them off.

A write-off from quarantine is valued at the product's catalogue price (the units of one position may
come from returns paid at different prices); one at inspection, at the price paid (oms.services.return_inspections).
Locks: the quarantine row, then the inventory row, as inspections take them.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.fields import AsNumber
from oms.services.order_models import Command
from oms.services.uow import UnitOfWork

_ADD = text(
    """
    INSERT INTO quarantine_stock (node_id, sku, quantity)
    SELECT :node_id, sku, quantity FROM jsonb_to_recordset(CAST(:units AS jsonb)) AS v(sku text, quantity int)
    ORDER BY sku
    ON CONFLICT (node_id, sku) DO UPDATE
      SET quantity = quarantine_stock.quantity + excluded.quantity, updated_at = now()
    """
)
_TAKE = text(
    """
    UPDATE quarantine_stock SET quantity = quantity - :quantity, updated_at = now()
    WHERE node_id = :node_id AND sku = :sku AND quantity >= :quantity
    RETURNING quantity
    """
)
_RESTOCK_ONE = text(
    """
    INSERT INTO inventory (node_id, sku, on_hand) VALUES (:node_id, :sku, :quantity)
    ON CONFLICT (node_id, sku) DO UPDATE SET on_hand = inventory.on_hand + excluded.on_hand, updated_at = now()
    """
)
_WRITE_OFF = text(
    """
    INSERT INTO stock_write_offs (node_id, sku, quantity, unit_value, value, currency, source, reason, created_by)
    SELECT :node_id, sku, :quantity, unit_price, unit_price * :quantity, currency, 'quarantine', :reason, :actor
    FROM products WHERE sku = :sku
    RETURNING id, node_id, sku, quantity, unit_value, value, currency, source, return_id, reason, created_by,
              created_at
    """
)


class QuarantineMove(Command):
    quantity: Annotated[int, Field(gt=0, le=1_000_000)]
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class QuarantinePublic(BaseModel):
    node_id: str
    sku: str
    quantity: int
    updated_at: dt.datetime


class WriteOffPublic(BaseModel):
    id: int
    node_id: str
    sku: str
    quantity: int
    unit_value: Annotated[Decimal, AsNumber]
    value: Annotated[Decimal, AsNumber]
    currency: str
    source: str
    return_id: int | None
    reason: str | None
    created_by: str
    created_at: dt.datetime


def add_to_quarantine(conn: Connection, node_id: str, units: Counter) -> None:
    conn.execute(_ADD, {"node_id": node_id, "units": dumps_json([{"sku": s, "quantity": q} for s, q in units.items()])})


def list_quarantine(uow: UnitOfWork, actor: Actor, node: str | None = None, sku: str | None = None
                    ) -> list[QuarantinePublic]:
    """Units in quarantine per node and SKU (positions emptied are left out)."""
    actor.require(Permission.INVENTORY_READ)
    sql = text(
        """
        SELECT node_id, sku, quantity, updated_at FROM quarantine_stock
        WHERE quantity > 0 AND (CAST(:node AS text) IS NULL OR node_id = :node)
          AND (CAST(:sku AS text) IS NULL OR sku = :sku)
        ORDER BY node_id, sku LIMIT 5000
        """
    )
    with uow.reading():
        return [QuarantinePublic.model_validate(r) for r in uow.conn.execute(sql, {"node": node, "sku": sku}).mappings()]


def release(uow: UnitOfWork, actor: Actor, node_id: str, sku: str, cmd: QuarantineMove) -> QuarantinePublic:
    """Move units from quarantine to sellable stock at the same node: its ATP rises."""

    def to_stock(conn: Connection) -> dict:
        conn.execute(_RESTOCK_ONE, {"node_id": node_id, "sku": sku, "quantity": cmd.quantity})
        return {}

    return _take(uow, actor, node_id, sku, cmd, "quarantine.released", to_stock)


def write_off(uow: UnitOfWork, actor: Actor, node_id: str, sku: str, cmd: QuarantineMove) -> QuarantinePublic:
    """Write units in quarantine off, valued at the catalogue price."""

    def record(conn: Connection) -> dict:
        row = conn.execute(_WRITE_OFF, {"node_id": node_id, "sku": sku, "quantity": cmd.quantity,
                                        "reason": cmd.reason, "actor": actor.name}).mappings().one()  # fmt: skip
        return {"write_off": WriteOffPublic.model_validate(row).model_dump(mode="json")}

    return _take(uow, actor, node_id, sku, cmd, "quarantine.written_off", record)


def _take(uow: UnitOfWork, actor: Actor, node_id: str, sku: str, cmd: QuarantineMove, action: str,
          then) -> QuarantinePublic:
    actor.require(Permission.INVENTORY_WRITE)
    with uow:
        left = uow.conn.execute(_TAKE, {"node_id": node_id, "sku": sku, "quantity": cmd.quantity}).scalar()
        if left is None:
            held = uow.conn.execute(text("SELECT quantity FROM quarantine_stock WHERE node_id = :n AND sku = :s"),
                                    {"n": node_id, "s": sku}).scalar()  # fmt: skip
            if held is None:
                raise NotFound(f"nothing of {sku} is in quarantine at {node_id}")
            raise ValidationFailed([FieldError(("quantity",), f"{held} unit(s) are in quarantine", "over_quarantine")])
        details = then(uow.conn)
        view = _load(uow.conn, node_id, sku)
        uow.record(actor, action, "inventory", f"{node_id}:{sku}",
                   after=view.model_dump(mode="json") | cmd.model_dump(mode="json") | details)  # fmt: skip
        uow.commit()
    return view


def list_write_offs(uow: UnitOfWork, actor: Actor, node: str | None = None, sku: str | None = None,
                    return_id: int | None = None, limit: int = 200) -> list[WriteOffPublic]:
    """Write-offs, newest first."""
    actor.require(Permission.INVENTORY_READ)
    sql = text(
        """
        SELECT * FROM stock_write_offs
        WHERE (CAST(:node AS text) IS NULL OR node_id = :node) AND (CAST(:sku AS text) IS NULL OR sku = :sku)
          AND (CAST(:return_id AS bigint) IS NULL OR return_id = :return_id)
        ORDER BY id DESC LIMIT :limit
        """
    )
    params = {"node": node, "sku": sku, "return_id": return_id, "limit": limit}
    with uow.reading():
        return [WriteOffPublic.model_validate(r) for r in uow.conn.execute(sql, params).mappings()]


def _load(conn: Connection, node_id: str, sku: str) -> QuarantinePublic:
    row = conn.execute(text("SELECT node_id, sku, quantity, updated_at FROM quarantine_stock"
                            " WHERE node_id = :n AND sku = :s"), {"n": node_id, "s": sku}).mappings().one()  # fmt: skip
    return QuarantinePublic.model_validate(row)
