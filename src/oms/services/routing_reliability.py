"""Learning the routing reliability table (oms.domain.routing.reliability) from the OMS's delivered
shipments and storing it as the next version of 'routing_reliability' in the model registry.

The shipments are read as the delay model reads them (oms.services.delay_history: same promise, same
window with its settling week), plus a second pass for what only routing asks: the hand-over and
delivery days in the node's zone, the fulfilment order's ship-by and its short picks, and what the parcel
was quoted and charged (oms.services.shipping_costs)."""

from datetime import UTC, date, datetime

from sqlalchemy import Connection, text

from oms.domain.routing.reliability import (
    DeliveryFact,
    ReliabilityTable,
    business_days,
    region_of,
    signed_business_days,
)
from oms.domain.routing.reliability_learning import learn_reliability
from oms.ml.delay_rows import ShipmentRecord, is_late
from oms.services.actor import Actor, Permission
from oms.services.delay_history import DEFAULT_WINDOW, SETTLE, delivered_records
from oms.services.delay_models_store import ModelInfo, latest_model, store_model
from oms.services.errors import Conflict
from oms.services.uow import UnitOfWork

RELIABILITY = "routing_reliability"
_EXECUTION = text("""
    SELECT s.id::text AS shipment_id, CAST(s.shipped_at AT TIME ZONE n.timezone AS date) AS shipped_day,
           CAST(s.delivered_at AT TIME ZONE n.timezone AS date) AS delivered_day,
           coalesce(f.ship_by < CAST(s.shipped_at AT TIME ZONE n.timezone AS date), false) AS late_handover,
           EXISTS (SELECT 1 FROM fulfilment_order_lines l
                   WHERE l.fulfilment_order_id = s.fulfilment_order_id AND l.short_quantity > 0) AS short_picked,
           CAST(s.quoted_cost AS float) AS quoted_cost, CAST(s.charged_cost AS float) AS charged_cost,
           coalesce(s.promised_delivery_date, o.promised_delivery_date) AS planned_day
    FROM shipments s JOIN orders o ON o.id = s.order_id JOIN nodes n ON n.id = s.node_id
    LEFT JOIN fulfilment_orders f ON f.id = s.fulfilment_order_id
    WHERE s.status = 'delivered' AND s.shipped_at IS NOT NULL AND s.delivered_at IS NOT NULL
      AND o.created_at >= :since AND o.created_at < :until
""")  # fmt: skip


class NoDeliveredHistory(Conflict):
    """No delivered shipment in the window: nothing to learn, nothing stored."""


def delivery_facts(conn: Connection, since: datetime, until: datetime) -> list[DeliveryFact]:
    """The delivered shipments of the orders created in [since, until) that were handed over, as facts."""
    execution = {r.shipment_id: r for r in conn.execute(_EXECUTION, {"since": since, "until": until})}
    records = delivered_records(conn, since, until)
    return [_fact(r, execution[r.shipment_id]) for r in records if r.shipment_id in execution]


def _fact(record: ShipmentRecord, execution) -> DeliveryFact:
    return DeliveryFact(
        record.node_id, record.node_type, record.carrier, region_of(record.dest_country, record.dest_postal),
        record.service_level, not is_late(record), business_days(execution.shipped_day, execution.delivered_day),
        execution.short_picked, execution.late_handover, execution.quoted_cost, execution.charged_cost,
        _delay(execution.planned_day, execution.delivered_day),
    )  # fmt: skip


def _delay(planned: date | None, delivered: date) -> int | None:
    """Business days delivered after the parcel's planned delivery (its own promised date, else its
    order's): what routing's on-time-given-slack learns from."""
    return None if planned is None else signed_business_days(planned, delivered)


def learn_from_database(
    uow: UnitOfWork, actor: Actor, since: datetime | None = None, now: datetime | None = None
) -> ModelInfo:
    """Learn from the orders created from `since` (default a year before `now`) until a week before `now`
    and store the table as the next version; NoDeliveredHistory (nothing stored) when there is none."""
    actor.require(Permission.MODELS_TRAIN)
    now = now or datetime.now(UTC)
    since, until = since or now - DEFAULT_WINDOW, now - SETTLE
    with uow.reading():
        facts = delivery_facts(uow.conn, since, until)
    if not facts:
        raise NoDeliveredHistory(
            f"no delivered shipment of an order created from {since:%Y-%m-%d} to {until:%Y-%m-%d}"
        )
    table = learn_reliability(facts)
    window = {"train_from": since, "train_to": until, "validate_from": until, "validate_to": until}
    with uow:
        info = store_model(uow, actor, RELIABILITY, table, {"trained_at": now, **window, "rows": len(facts)},
                           _metrics(table))  # fmt: skip
        uow.commit()
    return info


def _metrics(table: ReliabilityTable) -> dict:
    """Counts and the network's rates (there is no validation window: the table describes the history)."""
    return {"shipments": table.network.shipments, "on_time_rate": table.network.on_time,
            "transit_mean": table.network.transit_mean, "lanes": len(table.lanes), "cells": len(table.cells),
            "nodes": len(table.nodes)}  # fmt: skip


def latest_reliability(uow: UnitOfWork) -> tuple[ModelInfo, ReliabilityTable] | None:
    """The newest stored table with its version, or None before the first learning."""
    return latest_model(uow, RELIABILITY, ReliabilityTable.from_bytes)
