"""The simulated history in memory: orders, their lines and the shipments that carry them."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from oms.services.demo.carriers import Carrier
from oms.services.demo.customers import Customer
from oms.services.demo.network import Node
from oms.services.demo.places import City
from oms.services.demo.products import Product

# The order in which a shipment (and so a line and an order) progresses. "pending": its order is still
# in payment review, so the shipment does not exist yet.
PROGRESS = ("pending", "released", "shipped", "delivered")
OPEN = ("pending", "released")  # stock is still reserved


@dataclass(slots=True)
class Line:
    id: int
    line_no: int
    product: Product
    quantity: int
    unit_price: Decimal
    short_picked: bool = False  # the node could not find it: cancelled, the rest ships


@dataclass(slots=True)
class Shipment:
    node: Node
    carrier: Carrier | None  # None: picked up at the store
    service: str
    city: City  # the customer's: where the parcel goes, unless it is picked up at the store
    postal_code: str
    lines: list[Line]
    km: float
    promised_ship: date
    promised_delivery: date
    released_at: datetime
    ready_day: date | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    tracking_number: str | None = None
    id: int = 0

    def status(self, now: datetime) -> str:
        if self.delivered_at and self.delivered_at <= now:
            return "delivered"
        if self.shipped_at and self.shipped_at <= now:
            return "shipped"
        return "released" if self.released_at <= now else "pending"

    def lines_at(self, now: datetime) -> list[Line]:
        """Its lines as known at `now`: a short pick is only found out when the parcel is packed."""
        if self.status(now) in OPEN:
            return self.lines
        return [line for line in self.lines if not line.short_picked]


@dataclass(slots=True)
class Order:
    id: int
    channel: str
    external_id: str
    customer: Customer
    service: str
    ship_to: dict
    created_at: datetime
    lines: list[Line]
    shipments: list[Shipment] = field(default_factory=list)
    pickup_node_id: str | None = None
    cancelled_at: datetime | None = None

    def status(self, now: datetime) -> str:
        """Cancelled, on hold in payment review, or the least advanced of its shipments (an order is
        delivered when all are)."""
        if self.cancelled_at:
            return "cancelled"
        least = min((s.status(now) for s in self.shipments), key=PROGRESS.index)
        return "on_hold" if least == "pending" else least

    def hold(self, now: datetime) -> tuple[str, str] | tuple[None, None]:
        """(hold type, reason) while the order is on hold."""
        return ("payment_review", "payment under review") if self.status(now) == "on_hold" else (None, None)

    def total(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal("0.00"))

    def updated_at(self, now: datetime) -> datetime:
        moments = [self.created_at, self.cancelled_at]
        for s in self.shipments:
            moments += [s.released_at, s.shipped_at, s.delivered_at]
        return max(m for m in moments if m and m <= now)
