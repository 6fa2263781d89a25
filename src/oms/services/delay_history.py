"""The OMS's own shipments as rows of the delay model's contract (oms.ml.delay_rows.ShipmentRecord):
delivered ones to learn from, open ones to score, and the node cut-offs its features compare release
times with.

The promise is the end of the promised delivery day in the shipping node's time zone: the SLA report
and the managers' overview judge lateness that way (oms.services.sla_report, overview_queries), so a
parcel the model calls late is one those pages count as late. The destination's zone is not stored
(only its country), and the demo's nodes and customers share their zones anyway. It is the last
microsecond of that day, so "delivered after the promise" is exactly their "on or after the next
midnight".
"""

from datetime import datetime, timedelta

from sqlalchemy import Connection, text

from oms.ml.delay_features import LOAD_WINDOW, Cutoffs, NodeCutoff
from oms.ml.delay_rows import ShipmentRecord

OPEN_STATUSES = ("shipped", "in_transit", "out_for_delivery", "exception")
DEFAULT_WINDOW = timedelta(days=365)  # a year holds every retail peak once; older habits are stale
# Orders of the last week may still be on their way, and the late ones are those still out: learning
# from the delivered alone would teach that recent parcels arrive on time.
SETTLE = timedelta(days=7)

# One shipment as a contract row. A shipment's own promised date wins over its order's (a split order
# promises each parcel); a shipment with neither has no promise to be late against and is left out.
_RECORD = """
    SELECT s.id::text AS shipment_id, s.order_id::text AS order_id, o.created_at,
           coalesce(s.released_at, s.created_at) AS released_at, s.node_id, n.type AS node_type, s.carrier,
           s.service_level, n.postal_code AS origin_postal, coalesce(o.ship_to->>'postal_code', '') AS dest_postal,
           o.ship_to_country AS dest_country, coalesce(s.distance_km, 0)::float AS distance_km, s.units,
           s.weight_kg::float AS weight_kg,
           CAST(coalesce(s.promised_delivery_date, o.promised_delivery_date) + 1 AS timestamp)
             AT TIME ZONE n.timezone - interval '1 microsecond' AS promised_delivery_at,
           s.shipped_at, s.delivered_at
    FROM shipments s JOIN orders o ON o.id = s.order_id JOIN nodes n ON n.id = s.node_id
    WHERE coalesce(s.promised_delivery_date, o.promised_delivery_date) IS NOT NULL
"""
_DELIVERED = text(
    _RECORD + " AND s.status = 'delivered' AND s.delivered_at IS NOT NULL AND o.created_at >= :since"
    " AND o.created_at < :until ORDER BY o.created_at, s.id"
)
_OPEN = text(_RECORD + " AND s.delivered_at IS NULL AND s.status = ANY(:open) ORDER BY s.id")
_RELEASED_SINCE = text(_RECORD + " AND coalesce(s.released_at, s.created_at) >= :since ORDER BY s.id")
_CUTOFFS = text("SELECT id, cutoff_time, timezone FROM nodes")


def delivered_records(conn: Connection, since: datetime, until: datetime) -> list[ShipmentRecord]:
    """Delivered shipments of the orders created in [since, until), oldest order first."""
    return _records(conn.execute(_DELIVERED, {"since": since, "until": until}))


def open_records(conn: Connection) -> list[ShipmentRecord]:
    """Shipments handed over and not delivered yet (neither returned nor lost: those have a status of
    their own)."""
    return _records(conn.execute(_OPEN, {"open": list(OPEN_STATUSES)}))


def load_context(conn: Connection, shipments: list[ShipmentRecord]) -> list[ShipmentRecord]:
    """Every shipment released since the day before the earliest of `shipments`, delivered or not: the
    parcels a node had taken on when one of them was released (the node load the model counts; it
    counts a shipment given twice once)."""
    if not shipments:
        return []
    since = min(r.released_at for r in shipments) - LOAD_WINDOW
    return _records(conn.execute(_RELEASED_SINCE, {"since": since}))


def node_cutoffs(conn: Connection) -> Cutoffs:
    """Each node's daily cut-off in its own time zone."""
    return {row.id: NodeCutoff(row.cutoff_time, row.timezone) for row in conn.execute(_CUTOFFS)}


def _records(rows) -> list[ShipmentRecord]:
    return [ShipmentRecord(**row._mapping) for row in rows]
