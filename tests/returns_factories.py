"""Orders shipped and delivered through the fulfilment services, for the return tests."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, text

from oms.services import order_actions
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.shipment_progress import mark_shipment_delivered
from oms.services.uow import UnitOfWork
from oms.services.wms_event_models import Shipped
from oms.services.wms_events import post_event
from tests.factories import OPS, order_body, set_stock


def shipped_order(engine: Engine, external_id: str = "WEB-1", lines=(("TSH-BLU-L", 2),), shipped_days_ago: int = 0,
                  delivered_days_ago: int | None = None, **overrides) -> int:
    """Capture an order of `lines` [(sku, quantity)] from WH-LYON (stocked for it), release it, ship all of
    it `shipped_days_ago`, and deliver it `delivered_days_ago` if given; its id."""
    for sku, quantity in lines:
        set_stock(engine, "WH-LYON", sku, quantity)
    body = OrderCreate.model_validate(order_body(external_id, list(lines), **overrides))
    order, _ = capture_order(UnitOfWork(engine), OPS, body)
    order_actions.release(UnitOfWork(engine), OPS, order.id)
    now = datetime.now(UTC)
    with engine.connect() as conn:
        fulfilments = conn.execute(text("SELECT id FROM fulfilment_orders WHERE order_id = :id ORDER BY id"),
                                   {"id": order.id}).scalars().all()  # fmt: skip
    for fo in fulfilments:
        event = Shipped(type="shipped", event_id=f"ship-{fo}", fulfilment_order_id=fo, carrier="colissimo",
                        occurred_at=now - timedelta(days=shipped_days_ago))  # fmt: skip
        post_event(UnitOfWork(engine), OPS, event)
    if delivered_days_ago is not None:
        deliver(engine, order.id, now - timedelta(days=delivered_days_ago))
    return order.id


def deliver(engine: Engine, order_id: int, at: datetime) -> None:
    with engine.connect() as conn:
        shipments = conn.execute(text("SELECT id FROM shipments WHERE order_id = :id"), {"id": order_id}).scalars().all()
    for shipment_id in shipments:
        with UnitOfWork(engine) as uow:
            mark_shipment_delivered(uow, OPS, shipment_id, at)
            uow.commit()
