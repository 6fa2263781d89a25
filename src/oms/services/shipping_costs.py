"""Each shipment's two costs: what routing's rate table quoted for it, set when it ships, and what its
carrier billed (a charge on the WMS's shipped event or a carrier's tracking event, or an invoice:
shipment_charges.py). Routing reliability learns the ratio per lane (`cost_factor`).

The quote is the routing decision's: the cost of the planned shipment from the shipment's node, in the
latest decision that planned one (so capture, which stores the decision anyway, does no more work). A
shipment weighing other than planned (parcels weighed at the node, a partial shipment) or going with
another carrier than planned (the WMS chooses) is quoted anew by its own carrier's card in the active rate
table. One whose carrier has no card on its lane has no quote: another
carrier's price would teach reliability a false billing ratio for this one (`cost_factor`), while an
unknown quote just teaches nothing.

Both costs are read by the desks that read routing (`order_shipment_costs`), never on the shipment views
a channel reads."""

from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import Connection, text

from oms.domain.geo import Point, UnknownCountry, locate
from oms.domain.promise_model import Destination
from oms.domain.routing.rates import carrier_cost, same_carrier
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, ValidationFailed
from oms.services.routing_config import active_config
from oms.services.uow import UnitOfWork

WEIGHT_TOLERANCE_KG = 0.0005  # weights are stored to the gram
_SHIPPED = text(
    """
    SELECT s.carrier, CAST(s.weight_kg AS float) AS weight_kg, s.service_level, n.country AS origin_country,
           CAST(n.lat AS float) AS lat, CAST(n.lon AS float) AS lon, o.ship_to_country AS country,
           o.ship_to->>'postal_code' AS postal_code, o.currency,
           (SELECT p FROM routing_decisions d CROSS JOIN jsonb_array_elements(d.decision->'plan'->'shipments') p
            WHERE d.order_id = s.order_id AND p->>'node_id' = s.node_id ORDER BY d.id DESC LIMIT 1) AS planned
    FROM shipments s JOIN nodes n ON n.id = s.node_id JOIN orders o ON o.id = s.order_id WHERE s.id = :id
    """
)
_SET = text(
    """
    UPDATE shipments SET quoted_cost = CAST(:quoted AS numeric), charged_cost = coalesce(CAST(:charged AS numeric), charged_cost)
    WHERE id = :id
    """
)
_CHARGE = text("UPDATE shipments SET charged_cost = :charged WHERE id = :id")
_ORDER_COSTS = text(
    """
    SELECT s.id, s.quoted_cost AS quoted, s.charged_cost AS charged, o.currency
    FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.order_id = :id
    """
)
_CURRENCY = text("SELECT o.currency FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.id = :id")


class ShipmentCosts(BaseModel):
    quoted: Decimal | None
    charged: Decimal | None
    currency: str


def order_shipment_costs(uow: UnitOfWork, actor: Actor, order_id: int) -> dict[int, ShipmentCosts]:
    """What each of the order's shipments was quoted and charged, by shipment id; a cost not known is None."""
    actor.require(Permission.ROUTING_READ)
    with uow.reading():
        rows = uow.conn.execute(_ORDER_COSTS, {"id": order_id})
        return {r.id: ShipmentCosts.model_validate(r._mapping) for r in rows}


def record_shipped_costs(
    conn: Connection, shipment_id: int, charged: Decimal | None = None, currency: str | None = None
) -> None:
    """Set the quote of a shipment just shipped and, when its shipped event says, what it was charged;
    ValidationFailed when that charge is in another currency than its order's."""
    shipped = conn.execute(_SHIPPED, {"id": shipment_id}).one()
    _refuse_other_currency(currency, shipped.currency)
    conn.execute(_SET, {"id": shipment_id, "quoted": _quote(conn, shipped), "charged": charged})


def record_charge(conn: Connection, shipment_id: int, charged: Decimal, currency: str | None = None,
                  path: tuple[str | int, ...] = ("currency",)) -> None:  # fmt: skip
    """Set what the carrier billed for the shipment (a carrier event said it); ValidationFailed on `path`
    when `currency` is not its order's."""
    _refuse_other_currency(currency, conn.execute(_CURRENCY, {"id": shipment_id}).scalar_one(), path)
    conn.execute(_CHARGE, {"id": shipment_id, "charged": charged})


def _refuse_other_currency(given: str | None, order_currency: str, path=("currency",)) -> None:
    if given and given != order_currency:
        raise ValidationFailed([FieldError(path, f"its order is in {order_currency}", "other_currency")])


def _quote(conn: Connection, shipped) -> float | None:
    if _as_planned(shipped.planned, shipped):
        return shipped.planned["cost"]
    try:
        destination = Destination(shipped.country, locate(shipped.country, shipped.postal_code or "").point)
    except UnknownCountry:
        return None
    origin = Point(shipped.lat, shipped.lon)
    rates = active_config(conn).rates
    cost = carrier_cost(
        rates,
        shipped.carrier,
        shipped.origin_country,
        origin,
        destination,
        shipped.weight_kg,
        shipped.service_level,
    )
    return None if cost is None else round(cost, 2)


def _as_planned(planned: dict | None, shipped) -> bool:
    return (
        planned is not None
        and same_carrier(planned["carrier"], shipped.carrier)
        and abs(planned["weight_kg"] - shipped.weight_kg) < WEIGHT_TOLERANCE_KG
    )
