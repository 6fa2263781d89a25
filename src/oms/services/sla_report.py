"""SLA attainment over a period, computed in SQL: per node, the work due to ship in the period (by its
ship-by date); per carrier, the parcels due to land in it (by their deliver-by date).

A node's work is its fulfilment orders (not rejected or cancelled), and before fulfilment orders existed
(the demo's history), its shipments, due by their order's promised ship date. Work ships on time if its
last unit leaves on or before the ship-by date in the node's time zone. A parcel lands on time if it is
delivered on or before its promised delivery date (deliver-by), in the shipping node's time zone.
Attainment is on time over everything whose outcome is known: on time, late, and still open (or still
with the carrier) past its date.
"""

import datetime as dt
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import text

from oms.services.actor import Actor, Permission
from oms.services.order_models import Command
from oms.services.uow import UnitOfWork

MAX_DAYS = 731

_NODES = text(
    """
    WITH work AS (
      SELECT f.node_id, f.ship_by, f.created_at AS released_at,
             CASE WHEN f.status = 'shipped' THEN max(s.shipped_at) END AS shipped_at  -- its last parcel
      FROM fulfilment_orders f LEFT JOIN shipments s ON s.fulfilment_order_id = f.id
      WHERE f.ship_by BETWEEN :from AND :to AND f.status NOT IN ('rejected', 'cancelled')
        AND (CAST(:node AS text) IS NULL OR f.node_id = :node)
      GROUP BY f.id
      UNION ALL
      SELECT s.node_id, o.promised_ship_date, s.released_at, s.shipped_at
      FROM shipments s JOIN orders o ON o.id = s.order_id
      WHERE s.fulfilment_order_id IS NULL AND o.promised_ship_date BETWEEN :from AND :to
        AND (CAST(:node AS text) IS NULL OR s.node_id = :node)),
    judged AS (
      SELECT w.node_id, w.shipped_at, extract(epoch FROM w.shipped_at - w.released_at) / 3600 AS hours,
             w.shipped_at < CAST(w.ship_by + 1 AS timestamp) AT TIME ZONE n.timezone AS on_time,
             w.shipped_at IS NULL AND w.ship_by < (CAST(:now AS timestamptz) AT TIME ZONE n.timezone)::date AS overdue
      FROM work w JOIN nodes n ON n.id = w.node_id)
    SELECT node_id, count(*) AS due,
           count(*) FILTER (WHERE on_time) AS shipped_on_time,
           count(*) FILTER (WHERE NOT on_time) AS shipped_late,
           count(*) FILTER (WHERE overdue) AS open_past_ship_by,
           percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY hours) AS release_to_ship_hours
    FROM judged GROUP BY node_id ORDER BY node_id
    """
)
_CARRIERS = text(
    """
    WITH judged AS (
      SELECT s.carrier, s.exception_at IS NOT NULL AS exception, s.status = 'returned_to_sender' AS returned,
             s.delivered_at < CAST(s.promised_delivery_date + 1 AS timestamp) AT TIME ZONE n.timezone AS on_time,
             s.delivered_at IS NULL AND s.status <> 'returned_to_sender'
               AND s.promised_delivery_date < (CAST(:now AS timestamptz) AT TIME ZONE n.timezone)::date AS overdue,
             extract(epoch FROM s.delivered_at - s.shipped_at) / 86400 AS transit_days
      FROM shipments s JOIN nodes n ON n.id = s.node_id
      WHERE s.promised_delivery_date BETWEEN :from AND :to AND s.shipped_at IS NOT NULL
        AND (CAST(:node AS text) IS NULL OR s.node_id = :node)
        AND (CAST(:carrier AS text) IS NULL OR lower(s.carrier) = lower(:carrier)))
    SELECT carrier, count(*) AS shipments,
           count(*) FILTER (WHERE on_time) AS delivered_on_time,
           count(*) FILTER (WHERE NOT on_time) AS delivered_late,
           count(*) FILTER (WHERE overdue) AS overdue,
           count(*) FILTER (WHERE returned) AS returned_to_sender,
           count(*) FILTER (WHERE exception) AS exceptions,
           percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY transit_days) AS transit_days
    FROM judged GROUP BY carrier ORDER BY carrier
    """
)


class SlaReportQuery(Command):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: dt.date = Field(alias="from", description="First day of the period")
    to: dt.date = Field(description="Last day of the period (included)")
    node: str | None = Field(default=None, max_length=40)
    carrier: str | None = Field(default=None, max_length=40, description="Limits the carrier section")

    @model_validator(mode="after")
    def _period(self) -> "SlaReportQuery":
        if self.to < self.from_:
            raise ValueError("`to` is before `from`")
        if (self.to - self.from_).days >= MAX_DAYS:
            raise ValueError(f"a period of at most {MAX_DAYS} days")
        return self


class NodeAttainment(BaseModel):
    node_id: str
    due: int = Field(
        description="Fulfilment orders (or, before them, shipments) whose ship-by date is in the period"
    )
    shipped_on_time: int
    shipped_late: int
    open_past_ship_by: int = Field(description="Not shipped, and the ship-by date has passed")
    attainment_pct: float | None = Field(description="On time over on time, late and open past ship-by")
    release_to_ship_hours_median: float | None
    release_to_ship_hours_p90: float | None


class CarrierAttainment(BaseModel):
    carrier: str
    shipments: int = Field(description="Shipped parcels whose deliver-by date is in the period")
    delivered_on_time: int
    delivered_late: int
    overdue: int = Field(description="Not delivered (nor returned), and the deliver-by date has passed")
    returned_to_sender: int
    exceptions: int = Field(description="Parcels the carrier reported at least one exception for")
    attainment_pct: float | None = Field(description="On time over on time, late, overdue and returned")
    transit_days_median: float | None = Field(description="Shipped to delivered, in days")
    transit_days_p90: float | None


class SlaReport(BaseModel):
    from_: dt.date = Field(serialization_alias="from")
    to: dt.date
    node: str | None
    carrier: str | None
    as_of: datetime
    nodes: list[NodeAttainment]
    carriers: list[CarrierAttainment]


def sla_report(
    uow: UnitOfWork, actor: Actor, query: SlaReportQuery, now: datetime | None = None
) -> SlaReport:
    actor.require(Permission.SLA_READ)
    now = now or datetime.now(UTC)
    params = {"from": query.from_, "to": query.to, "node": query.node, "carrier": query.carrier, "now": now}
    with uow.reading():
        nodes = [_node(r._mapping) for r in uow.conn.execute(_NODES, params)]
        carriers = [_carrier(r._mapping) for r in uow.conn.execute(_CARRIERS, params)]
    return SlaReport(from_=query.from_, to=query.to, node=query.node, carrier=query.carrier, as_of=now,
                     nodes=nodes, carriers=carriers)  # fmt: skip


def _node(row) -> NodeAttainment:
    known = row["shipped_on_time"] + row["shipped_late"] + row["open_past_ship_by"]
    median, p90 = _rounded(row["release_to_ship_hours"], 1)
    return NodeAttainment(**row, attainment_pct=_pct(row["shipped_on_time"], known),
                          release_to_ship_hours_median=median, release_to_ship_hours_p90=p90)  # fmt: skip


def _carrier(row) -> CarrierAttainment:
    known = row["delivered_on_time"] + row["delivered_late"] + row["overdue"] + row["returned_to_sender"]
    median, p90 = _rounded(row["transit_days"], 2)
    return CarrierAttainment(**row, attainment_pct=_pct(row["delivered_on_time"], known),
                             transit_days_median=median, transit_days_p90=p90)  # fmt: skip


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rounded(percentiles: list[float] | None, digits: int) -> list[float | None]:
    """The median and 90th percentile (both None when nothing shipped or landed)."""
    return [round(p, digits) for p in percentiles] if percentiles else [None, None]
