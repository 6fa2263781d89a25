"""The simulated history as table rows, seen from `now`: what has happened by then is recorded, what
has not (a parcel still on its way) is left open. Open shipments hold their stock reserved. Shipped
parcels carry their quoted cost, delivered ones what their carrier billed (billing.py)."""

import hashlib
from collections import Counter
from datetime import datetime

from oms.db.engine import dumps_json
from oms.services.demo.billing import charged_cost, quoted_cost
from oms.services.demo.carriers import PICKUP
from oms.services.demo.model import OPEN, Order, Shipment
from oms.services.order_models import OrderCreate

ORDER_COLUMNS = ("id", "channel_id", "external_id", "customer_id", "status", "hold_type", "hold_reason",
                 "service_level",
                 "pickup_node_id", "ship_to", "ship_to_country", "currency", "total_amount",
                 "promised_ship_date", "promised_delivery_date", "capture_hash", "created_at", "updated_at")
LINE_COLUMNS = ("id", "order_id", "line_no", "sku", "quantity", "unit_price", "status", "shipped_quantity",
                "delivered_quantity")
SHIPMENT_COLUMNS = ("id", "order_id", "node_id", "carrier", "service_level", "tracking_number", "status",
                    "units", "weight_kg", "distance_km", "released_at", "shipped_at",
                    "promised_delivery_date", "delivered_at", "created_at", "fulfilment_order_id", "quoted_cost",
                    "charged_cost")
ALLOCATION_COLUMNS = ("order_id", "order_line_id", "node_id", "sku", "quantity", "created_at",
                      "fulfilment_order_id")


def order_rows(orders: list[Order], now: datetime) -> list[tuple]:
    rows = []
    for o in orders:
        ship = max((s.promised_ship for s in o.shipments), default=None)
        delivery = max((s.promised_delivery for s in o.shipments), default=None)
        rows.append((o.id, o.channel, o.external_id, o.customer.id, o.status(now), *o.hold(now), o.service,
                     o.pickup_node_id, dumps_json(o.ship_to), o.ship_to["country"], "EUR", o.total(), ship,
                     delivery, capture_hash(o), o.created_at, o.updated_at(now)))
    return rows


def capture_hash(order: Order) -> str:
    """The digest order capture keeps to recognise a retry: the demo orders are real capture commands,
    validated by the same schema, so replaying one returns it instead of a conflict."""
    command = OrderCreate(
        channel=order.channel, external_id=order.external_id, service_level=order.service,
        customer={"name": order.customer.name, "email": order.customer.email}, ship_to=order.ship_to,
        pickup_node_id=order.pickup_node_id,
        lines=[{"sku": x.product.sku, "quantity": x.quantity, "unit_price": x.unit_price}
               for x in order.lines],
    )
    return hashlib.sha256(command.model_dump_json().encode()).hexdigest()


def line_rows(orders: list[Order], now: datetime) -> list[tuple]:
    """Lines with their status and units shipped and delivered (each line travels in one shipment)."""
    rows = []
    for o in orders:
        status = {line.id: "cancelled" for line in o.lines}
        for s in o.shipments:
            shipment = s.status(now)
            status.update({x.id: "allocated" if shipment == "pending" else shipment for x in s.lines_at(now)})
        for x in o.lines:
            shipped = x.quantity if status[x.id] in ("shipped", "delivered") else 0
            delivered = x.quantity if status[x.id] == "delivered" else 0
            rows.append((x.id, o.id, x.line_no, x.product.sku, x.quantity, x.unit_price, status[x.id], shipped,
                         delivered))  # fmt: skip
    return rows


def number_shipments(orders: list[Order]) -> list[Shipment]:
    """Every shipment, numbered in release order."""
    shipments = [s for o in orders for s in o.shipments]
    shipments.sort(key=lambda s: s.released_at)
    for number, s in enumerate(shipments, start=1):
        s.id = number
    return shipments


def shipment_rows(orders: list[Order], now: datetime) -> list[tuple]:
    """Shipments handed over by `now`, each from its fulfilment order (same id; execution_rows)."""
    rows = []
    for o in orders:
        for s in o.shipments:
            if s.status(now) in OPEN:  # not yet shipped: only its fulfilment order exists
                continue
            lines = s.lines_at(now)
            shipped = s.shipped_at if s.shipped_at <= now else None
            delivered = s.delivered_at if s.delivered_at <= now else None
            weight = sum(x.product.weight_kg * x.quantity for x in lines)
            quoted = quoted_cost(s, float(weight))
            charged = charged_cost(s, quoted, float(weight)) if delivered else None
            rows.append((s.id, o.id, s.node.id, s.carrier.name if s.carrier else PICKUP, s.service,
                         s.tracking_number if shipped else None, s.status(now), sum(x.quantity for x in lines),
                         weight, s.km, s.released_at, shipped, s.promised_delivery, delivered, s.released_at, s.id,
                         quoted, charged))  # fmt: skip
    return rows


def open_allocations(orders: list[Order], now: datetime) -> list[tuple]:
    """Lines of orders on hold, and of shipments released but not yet handed over (held by their
    fulfilment order): their stock is still reserved."""
    return [
        (o.id, line.id, s.node.id, line.product.sku, line.quantity, o.created_at,  # reserved at capture
         s.id if s.status(now) == "released" else None)
        for o in orders
        for s in o.shipments
        if s.status(now) in OPEN
        for line in s.lines_at(now)
    ]


def reserved_units(allocations: list[tuple]) -> Counter:
    reserved: Counter = Counter()
    for _, _, node_id, sku, quantity, *_ in allocations:
        reserved[(node_id, sku)] += quantity
    return reserved
