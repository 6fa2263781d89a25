"""Stockout forecast per SKU and node: demand of the last weeks with its weekday profile (oms.domain.
stockout), projected against ATP now and open inbound supply. For the managers' timeline and the
STOCKOUT_PREDICTED check (oms.services.anomaly_checks_stockout).

Two SQL passes whatever the number of positions: units demanded per node, SKU and weekday over the
history (released fulfilment lines plus reservations not yet released, dated by the order's capture, its
weekday in the node's time zone), and the positions with their open inbound supply as arrays.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from oms.domain.stockout import FLAT, DemandProfile, Outlook, outlook, weekday_profile
from oms.services.actor import Actor, Permission
from oms.services.anomaly_checks_settings import AnomalySettings
from oms.services.order_models import Command
from oms.services.pagination import MAX_LIMIT
from oms.services.uow import UnitOfWork

_DEMAND = text(
    """
    WITH demand AS (
      SELECT f.node_id, l.sku, o.created_at AS at, l.quantity - l.rejected_quantity AS units
      FROM orders o
      JOIN fulfilment_orders f ON f.order_id = o.id AND f.status <> 'cancelled'
      JOIN fulfilment_order_lines l ON l.fulfilment_order_id = f.id
      WHERE o.created_at >= :since AND o.created_at < :until
      UNION ALL
      SELECT a.node_id, a.sku, a.created_at, a.quantity FROM allocations a
      WHERE a.fulfilment_order_id IS NULL AND a.created_at >= :since AND a.created_at < :until)
    SELECT d.node_id, d.sku, extract(isodow FROM d.at AT TIME ZONE n.timezone)::int AS isodow,
           sum(d.units)::int AS units, count(*)::int AS lines
    FROM demand d JOIN nodes n ON n.id = d.node_id
    WHERE CAST(:node AS text) IS NULL OR d.node_id = :node  -- every SKU: the node's weekday pattern is theirs
    GROUP BY 1, 2, 3
    """
)
_POSITIONS = text(
    """
    SELECT i.node_id, i.sku, i.on_hand, i.reserved, i.safety_stock, s.dates, s.units
    FROM inventory i JOIN nodes n ON n.id = i.node_id AND n.active
    LEFT JOIN (SELECT node_id, sku, array_agg(expected_date ORDER BY expected_date) AS dates,
                      array_agg(quantity ORDER BY expected_date) AS units
               FROM inbound_supply WHERE status = 'open' GROUP BY node_id, sku) s
      ON s.node_id = i.node_id AND s.sku = i.sku
    WHERE (CAST(:node AS text) IS NULL OR i.node_id = :node) AND (CAST(:sku AS text) IS NULL OR i.sku = :sku)
    """
)


@dataclass(frozen=True, slots=True)
class PositionOutlook:
    node_id: str
    sku: str
    atp: int  # on hand - reserved - safety stock
    inbound: list[tuple[date, int]]
    demand: DemandProfile
    outlook: Outlook


def position_outlooks(conn: Connection, today: date, settings: AnomalySettings, node: str | None = None,
                      sku: str | None = None) -> list[PositionOutlook]:  # fmt: skip
    """Every active position's outlook as of `today` (demand history ends yesterday)."""
    weeks = settings.history_weeks
    window = {"since": today - timedelta(weeks=weeks), "until": today, "node": node}
    history = _History(conn.execute(_DEMAND, window), weeks)
    outlooks = []
    for r in conn.execute(_POSITIONS, {"node": node, "sku": sku}):
        demand = history.demand(r.node_id, r.sku)
        inbound = list(zip(r.dates or [], r.units or [], strict=True))
        atp = r.on_hand - r.reserved - r.safety_stock
        found = outlook(atp, inbound, demand, today, settings.horizon_days, settings.lead_time_days)
        outlooks.append(PositionOutlook(r.node_id, r.sku, atp, inbound, demand, found))
    return outlooks


class _History:
    """Units and lines per weekday of each position and each node; a position's weekday pattern leans on
    its node's (itself on none) as far as its own lines are few (oms.domain.stockout)."""

    def __init__(self, rows, weeks: int):
        self.weeks = weeks
        self.units: dict[tuple[str, str], list[float]] = {}
        self.lines: dict[tuple[str, str], int] = {}
        for r in rows:
            for key in ((r.node_id, r.sku), (r.node_id, None)):
                self.units.setdefault(key, [0.0] * 7)[r.isodow - 1] += r.units
                self.lines[key] = self.lines.get(key, 0) + r.lines
        self.nodes = {node: self._profile((node, None)).weekday for node, sku in self.units if sku is None}

    def demand(self, node_id: str, sku: str) -> DemandProfile:
        return self._profile((node_id, sku), self.nodes.get(node_id, FLAT))

    def _profile(self, key: tuple[str, str | None], base=FLAT) -> DemandProfile:
        return weekday_profile(self.units.get(key, [0.0] * 7), self.lines.get(key, 0), self.weeks, base)


class StockoutQuery(Command):
    node: str | None = Field(default=None, max_length=40)
    sku: str | None = Field(default=None, max_length=64)
    at_risk_only: bool = Field(default=False, description="Only stockouts before replenishment can arrive")
    limit: int = Field(default=100, ge=1, le=MAX_LIMIT)


class StockoutForecast(BaseModel):
    sku: str
    node_id: str
    atp: int = Field(description="On hand - reserved - safety stock, now")
    daily_demand: float = Field(description="Forecast units per day (the level; weekdays vary around it)")
    weekday_peak: float = Field(description="The busiest weekday's factor on the level (1: no pattern)")
    inbound_units: int = Field(description="Open inbound supply arriving before the stockout or the horizon")
    stockout_date: date = Field(description="The first day projected ATP is below zero")
    replenishment_date: date = Field(description="Next inbound after the stockout, or today + the lead time")
    days_of_cover: int = Field(description="Days from today to the stockout")
    units_short: float = Field(
        description="Forecast demand left unserved until replenishment (0 unless at risk)"
    )
    at_risk: bool = Field(description="The stockout comes before replenishment can arrive")


def stockout_forecast(uow: UnitOfWork, actor: Actor, query: StockoutQuery,
                      now: datetime | None = None) -> list[StockoutForecast]:  # fmt: skip
    """Positions projected to run out within the horizon, soonest first."""
    if not actor.can(Permission.REPORTS_READ):
        actor.require(Permission.INVENTORY_READ)
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    with uow.reading():
        found = position_outlooks(uow.conn, today, AnomalySettings(), query.node, query.sku)
    shown = [p for p in found if p.outlook.stockout and (p.outlook.at_risk or not query.at_risk_only)]
    shown.sort(key=lambda p: (p.outlook.stockout, p.sku, p.node_id))
    return [_forecast(p, today) for p in shown[: query.limit]]


def _forecast(p: PositionOutlook, today: date) -> StockoutForecast:
    o = p.outlook
    return StockoutForecast(sku=p.sku, node_id=p.node_id, atp=p.atp, daily_demand=round(p.demand.level, 2),
                            weekday_peak=round(p.demand.peak, 2), inbound_units=o.inbound_before,
                            stockout_date=o.stockout, replenishment_date=o.replenishment,
                            days_of_cover=(o.stockout - today).days,
                            units_short=round(o.units_short, 1), at_risk=o.at_risk)  # fmt: skip
