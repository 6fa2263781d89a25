"""The managers' overview over a period of UTC days (oms.services.overview_queries holds its SQL):

- orders captured per channel and day, counted and valued per currency (currencies are never added up);
- fulfilment lead time of the shipments that left in the period: order capture to shipment, and to
  delivery where the carrier reported it, median and 90th percentile per day and per node;
- late shipments per day (shipped after the ship-by date, or delivered after the promised delivery date,
  as the SLA report judges them), and the open orders already past their promised delivery date now (the
  orders list's late filter), the longest overdue listed;
- stock-outs now: SKU x node positions at active nodes with ATP (on hand less reserved less safety stock)
  at or under zero, network-wide ones first (no active node has ATP), with the units of open lines
  neither reserved nor shipped that wait for them; and per day, the lines that went backordered.

Where the backorders per day come from: a line's status says only what it is now, so the audit trail is
the honest record of when a line went backordered. Capture, edits and manual reroutes log the whole order
before and after (a line counts when its backordered units grew); a reroute after a short pick or a WMS
rejection logs what found no node. The demo's seeded history logs captures without their lines, so it
shows none. The channel filter limits orders, shipments, late orders and the demand waiting on stock;
stock positions belong to no channel.
"""

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from oms.db.tables import channels
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, ValidationFailed
from oms.services.overview_models import (
    BackorderDay,
    ChannelDay,
    DayLeadTime,
    Lateness,
    LateOrder,
    NodeLeadTime,
    Overview,
    OverviewQuery,
    StockOut,
    StockOuts,
)
from oms.services.overview_queries import BACKORDERED_BY_DAY, LATE_ORDERS, ORDERS, SHIPMENTS, STOCK_OUTS
from oms.services.uow import UnitOfWork

WORST = 10  # late orders and stock-outs listed


def overview(uow: UnitOfWork, actor: Actor, query: OverviewQuery, now: datetime | None = None) -> Overview:
    actor.require(Permission.REPORTS_READ)
    channel = actor.channel_id or query.channel
    params = {"start": datetime.combine(query.from_, time(), UTC),
              "end": datetime.combine(query.to + timedelta(days=1), time(), UTC),
              "channel": channel, "limit": WORST}  # fmt: skip
    with uow.reading():
        conn = uow.conn
        known = list(conn.execute(select(channels.c.id).order_by(channels.c.id)).scalars())
        if channel and channel not in known:
            raise ValidationFailed([FieldError(("channel",), f"unknown channel '{channel}'", "unknown")])
        orders = [ChannelDay.model_validate(r) for r in conn.execute(ORDERS, params).mappings()]
        shipments = conn.execute(SHIPMENTS, params).mappings().all()
        late = conn.execute(LATE_ORDERS, params).mappings().all()
        outs = conn.execute(STOCK_OUTS, params).mappings().all()
        backordered = [BackorderDay.model_validate(r) for r in conn.execute(BACKORDERED_BY_DAY, params).mappings()]
    return Overview(
        from_=query.from_, to=query.to, channel=channel, channels=known, as_of=now or datetime.now(UTC),
        orders=orders,
        lead_times_by_day=[DayLeadTime(**_lead_time(r), day=r["day"]) for r in shipments if r["day"]],
        lead_times_by_node=[NodeLeadTime(**_lead_time(r), node_id=r["node_id"]) for r in shipments if r["node_id"]],
        late=Lateness(open_past_promise=late[0]["total"] if late else 0,
                      worst=[LateOrder.model_validate(r) for r in late]),
        stock_outs=_stock_outs(outs, backordered),
    )  # fmt: skip


def _lead_time(row) -> dict:
    to_ship, to_delivery = _rounded(row["to_ship"]), _rounded(row["to_delivery"])
    return {
        "shipments": row["shipments"], "delivered": row["delivered"], "shipped_late": row["shipped_late"],
        "delivered_late": row["delivered_late"], "late": row["late"],
        "to_ship_hours_p50": to_ship[0], "to_ship_hours_p90": to_ship[1],
        "to_delivery_hours_p50": to_delivery[0], "to_delivery_hours_p90": to_delivery[1],
    }  # fmt: skip


def _stock_outs(rows, backordered: list[BackorderDay]) -> StockOuts:
    first = rows[0] if rows else {"skus": 0, "network_out_skus": 0, "positions": 0}
    return StockOuts(skus=first["skus"], network_out=first["network_out_skus"], positions=first["positions"],
                     worst=[StockOut.model_validate(r) for r in rows], backordered_by_day=backordered)  # fmt: skip


def _rounded(percentiles: list[float] | None) -> list[float | None]:
    """The median and 90th percentile in hours (both None when there is nothing to measure)."""
    return [round(p, 1) for p in percentiles] if percentiles and percentiles[0] is not None else [None, None]
