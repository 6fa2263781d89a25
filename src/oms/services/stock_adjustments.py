"""A person's stock adjustment: set the on-hand count of one position, saying why. Unlike a count import
(oms.services.inventory) it keeps the safety stock, records the reason in the audit trail, and is refused
when the count changed since the person read it (a concurrent pick or count), instead of overwriting it.
Orders a lower count leaves over-reserved are rerouted after it commits, as for any count."""

from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import text

from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.fields import Quantity
from oms.services.inventory import PUBLISH, InventoryCounted, list_inventory
from oms.services.order_models import Command
from oms.services.references import unknown_references
from oms.services.stock_discrepancy import reroute_over_reserved
from oms.services.uow import UnitOfWork


class StockAdjustment(Command):
    on_hand: Quantity
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    expected_on_hand: Quantity | None = None  # the count the person saw; None: whatever it is now


_LOCK = text(
    "SELECT on_hand, reserved, safety_stock FROM inventory WHERE node_id = :node AND sku = :sku FOR UPDATE"
)
_UPSERT = text(
    """
    INSERT INTO inventory (node_id, sku, on_hand) VALUES (:node, :sku, :on_hand)
    ON CONFLICT (node_id, sku) DO UPDATE SET on_hand = excluded.on_hand, updated_at = now()
    RETURNING on_hand, reserved, safety_stock
    """
)


def adjust_stock(
    uow: UnitOfWork, actor: Actor, node_id: str, sku: str, cmd: StockAdjustment
) -> InventoryCounted:
    actor.require(Permission.INVENTORY_WRITE)
    params = {"node": node_id, "sku": sku}
    with uow:
        if errors := unknown_references(uow.conn, [{"node_id": node_id, "sku": sku}]):
            raise NotFound("; ".join(e.message for e in errors))
        row = uow.conn.execute(_LOCK, params).mappings().first()
        before = dict(row) if row else None
        now_on_hand = before["on_hand"] if before else 0
        if cmd.expected_on_hand is not None and cmd.expected_on_hand != now_on_hand:
            raise Conflict(f"{sku} at {node_id} is now {now_on_hand} on hand, not {cmd.expected_on_hand}: "
                           "someone counted or picked since; check the new figure")  # fmt: skip
        after = dict(uow.conn.execute(_UPSERT, params | {"on_hand": cmd.on_hand}).mappings().one())
        uow.record(actor, "inventory.adjusted", "inventory", f"{node_id}/{sku}", before=before,
                   after=after | {"reason": cmd.reason}, publish=PUBLISH)  # fmt: skip
        uow.commit()
    reroutes = reroute_over_reserved(uow, actor, [(node_id, sku)])
    position = list_inventory(uow, actor, sku=sku, node=node_id).items[0]
    return InventoryCounted(**position.model_dump(), reroutes=reroutes)
