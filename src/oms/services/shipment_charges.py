"""What carriers billed for shipments (their invoices: fuel and remote-area surcharges, re-weighing), set
as each shipment's charged cost next to what routing's rate table quoted (shipping_costs.py). Routing
reliability learns the ratio per lane (oms.domain.routing.reliability `cost_factor`).

A batch names parcels by tracking number (the shipment's own or one of its parcels', optionally with the
carrier); the charges of one shipment's parcels add up, and a batch's charge replaces an earlier one (an
invoice corrected). Every row is checked first: an unknown number, a number given twice or a currency
other than the order's refuses the whole batch, naming each bad row, and nothing is written."""

from collections import defaultdict
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from oms.services.actor import Actor, Permission
from oms.services.catalog import Currency
from oms.services.errors import FieldError, ValidationFailed
from oms.services.order_models import Command
from oms.services.tracking_models import Text40, Text64
from oms.services.uow import UnitOfWork

Money = Decimal  # stored as the shipments' Numeric(10, 2)
MAX_CHARGES = 5_000

# The latest shipment of each (number, carrier) given, by position: numbers get reused.
_FIND = text(
    """
    SELECT DISTINCT ON (v.i) v.i, m.id, m.currency
    FROM unnest(CAST(:numbers AS text[]), CAST(:carriers AS text[])) WITH ORDINALITY AS v(number, carrier, i)
    JOIN LATERAL (
      SELECT s.id, o.currency FROM shipments s JOIN orders o ON o.id = s.order_id
      WHERE s.tracking_number = v.number AND (v.carrier IS NULL OR lower(s.carrier) = lower(v.carrier))
      UNION ALL
      SELECT s.id, o.currency FROM shipment_parcels p JOIN shipments s ON s.id = p.shipment_id
        JOIN orders o ON o.id = s.order_id
      WHERE p.tracking_number = v.number AND (v.carrier IS NULL OR lower(s.carrier) = lower(v.carrier))
    ) m ON true
    ORDER BY v.i, m.id DESC
    """
)
_LOCK = text("SELECT id FROM shipments WHERE id = ANY(:ids) ORDER BY id FOR UPDATE")
_CHARGE = text(
    """
    WITH charged AS (
      UPDATE shipments s SET charged_cost = v.cost
      FROM unnest(CAST(:ids AS bigint[]), CAST(:costs AS numeric[])) AS v(id, cost)
      WHERE s.id = v.id RETURNING s.quoted_cost, s.charged_cost)
    SELECT count(*) AS shipments, coalesce(sum(charged_cost), 0) AS charged,
           sum(charged_cost) FILTER (WHERE quoted_cost IS NOT NULL) AS charged_quoted, sum(quoted_cost) AS quoted
    FROM charged
    """
)


class ChargeIn(Command):
    tracking_number: Text64 = Field(description="The shipment's tracking number or one of its parcels'")
    charged_cost: Money = Field(ge=0, max_digits=10, decimal_places=2, description="What the carrier billed")
    carrier: Text40 | None = Field(
        default=None, description="Needed only when numbers repeat across carriers"
    )
    currency: Currency | None = Field(default=None, description="Absent: the order's currency")


class ChargesOutcome(BaseModel):
    shipments: int = Field(description="Shipments whose charged cost was set")
    charged: Money = Field(description="What they were billed in all")
    quoted: Money | None = Field(description="What the rate table quoted for those of them that have a quote")
    charged_quoted: Money | None = Field(description="What those with a quote were billed")


def record_charges(uow: UnitOfWork, actor: Actor, charges: list[ChargeIn]) -> ChargesOutcome:
    """Set the charged cost of the shipments the charges name; ValidationFailed (nothing written) naming
    every bad one (path: its position, then the field)."""
    actor.require(Permission.TRACKING_REPORT)
    with uow:
        totals = _charged_per_shipment(uow.conn, charges)
        ids = sorted(totals)
        uow.conn.execute(_LOCK, {"ids": ids})
        row = uow.conn.execute(_CHARGE, {"ids": ids, "costs": [totals[i] for i in ids]}).one()
        outcome = ChargesOutcome.model_validate(row._mapping)
        uow.record(
            actor,
            "shipment.charges_recorded",
            "shipment_charges",
            ids[0],
            after=outcome.model_dump(mode="json"),
        )
        uow.commit()
    return outcome


def _charged_per_shipment(conn: Connection, charges: list[ChargeIn]) -> dict[int, Decimal]:
    params = {"numbers": [c.tracking_number for c in charges], "carriers": [c.carrier for c in charges]}
    found = {row.i - 1: row for row in conn.execute(_FIND, params)}
    errors, seen, totals = [], set(), defaultdict(Decimal)
    for i, charge in enumerate(charges):
        problem = _problem(charge, found.get(i), seen)
        if problem:
            field, message, code = problem
            errors.append(FieldError((i, field), message, code))
        else:
            totals[found[i].id] += charge.charged_cost
    if errors:
        raise ValidationFailed(errors)
    return dict(totals)


def _problem(charge: ChargeIn, shipment, seen: set) -> tuple[str, str, str] | None:
    """(field, message, code) of what is wrong with the charge, or None."""
    if shipment is None:
        carrier = f"{charge.carrier} has" if charge.carrier else "there is"
        return "tracking_number", f"{carrier} no shipment {charge.tracking_number}", "unknown_tracking_number"
    if (shipment.id, charge.tracking_number) in seen:
        return "tracking_number", f"{charge.tracking_number} is charged twice in this batch", "repeated"
    seen.add((shipment.id, charge.tracking_number))
    if charge.currency and charge.currency != shipment.currency:
        return "currency", f"its order is in {shipment.currency}", "other_currency"
    return None


def import_charges(uow: UnitOfWork, actor: Actor, charges: list[ChargeIn], progress=None) -> int:
    """The CSV import's writer (oms.services.imports, kind "charges"): the shipments charged."""
    outcome = record_charges(uow, actor, charges)
    if progress:
        progress(len(charges))
    return outcome.shipments
