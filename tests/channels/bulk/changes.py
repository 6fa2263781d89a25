"""What changes between a file's check and its capture, made to happen at the right moment."""

from sqlalchemy import text

from oms.services.errors import Conflict
from oms.services.order_capture import capture_order

CAPTURE = "oms.services.order_imports_capture.capture_order"  # what an import captures each order with


def deactivate_before(engine, order_ref: str, sku: str):
    """capture_order, with `sku` taken out of the catalogue just before `order_ref` is captured."""

    def capture(uow, actor, cmd, source):
        if cmd.external_id == order_ref:
            with engine.begin() as conn:
                conn.execute(text("UPDATE products SET active = false WHERE sku = :sku"), {"sku": sku})
        return capture_order(uow, actor, cmd, source)

    return capture


def conflict_at(order_ref: str):
    """capture_order, refusing `order_ref` as when another capture of that reference with other content
    came first."""

    def capture(uow, actor, cmd, source):
        if cmd.external_id == order_ref:
            raise Conflict(f"order '{order_ref}' of channel '{cmd.channel}' was captured with other content")
        return capture_order(uow, actor, cmd, source)

    return capture
