"""The demo world (oms.services.demo, whose lateness follows a hidden mechanism) as contract records:
every shipment delivered by the end of the simulation, with its order's destination and its node's type,
and the nodes' cut-offs in their own time zones."""

import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from oms.ml.delay_features import NodeCutoff
from oms.ml.delay_rows import ShipmentRecord
from oms.services.demo.places import TIMEZONES
from oms.services.demo.simulation import simulate


def simulated_records(
    days: int, now: datetime, seed: int
) -> tuple[list[ShipmentRecord], dict[str, NodeCutoff]]:
    """Delivered shipments, oldest first, and the cut-off of each node."""
    tables = simulate(days, now, seed)
    orders = {row["id"]: row for row in _dicts(tables["orders"])}
    nodes = {row["id"]: row for row in _dicts(tables["nodes"])}
    records = [
        _record(s, orders[s["order_id"]], nodes[s["node_id"]])
        for s in _dicts(tables["shipments"])
        if s["delivered_at"] is not None
    ]
    cutoffs = {n["id"]: NodeCutoff(n["cutoff_time"], n["timezone"]) for n in nodes.values()}
    return sorted(records, key=lambda r: r.created_at), cutoffs


def _dicts(table: tuple) -> list[dict]:
    columns, rows = table
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _record(shipment: dict, order: dict, node: dict) -> ShipmentRecord:
    ship_to = json.loads(order["ship_to"])
    return ShipmentRecord(
        shipment_id=str(shipment["id"]), order_id=str(order["id"]), created_at=order["created_at"],
        released_at=shipment["released_at"], node_id=node["id"], node_type=node["type"],
        carrier=shipment["carrier"], service_level=shipment["service_level"], origin_postal=node["postal_code"],
        dest_postal=ship_to["postal_code"], dest_country=ship_to["country"],
        distance_km=float(shipment["distance_km"] or 0), units=int(shipment["units"]),
        weight_kg=float(shipment["weight_kg"]),
        promised_delivery_at=_end_of(shipment["promised_delivery_date"], ship_to["country"]),
        shipped_at=shipment["shipped_at"], delivered_at=shipment["delivered_at"],
    )  # fmt: skip


def _end_of(day: date, country: str) -> datetime:
    """A promised day ends at midnight where the parcel goes."""
    return datetime.combine(day + timedelta(days=1), time(), ZoneInfo(TIMEZONES.get(country, "Europe/Paris")))
