"""What the delay model sees of a shipment, computed from the rows alone: carrier by destination region,
the node's load when it was released, weekday and hour against the cut-off, distance, service level,
node type, size, the promised lead time and the season. Categorical values stay strings here; the model's
encoder turns them into codes."""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import cos, pi, sin
from zoneinfo import ZoneInfo

from oms.domain.routing.reliability import region_of
from oms.ml.delay_rows import ShipmentRecord

CATEGORICAL = ("carrier", "region", "carrier_region", "service_level", "node_type", "node_id")
LOAD = "node_load_24h"
LOAD_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class NodeCutoff:
    """A node's daily cut-off in its own time zone (nodes.cutoff_time, nodes.timezone)."""

    cutoff: time
    timezone: str


Cutoffs = Mapping[str, NodeCutoff]


def region(record: ShipmentRecord) -> str:
    """Where the parcel goes, as routing reliability groups destinations (FR-20 Corsica, FR-75 Paris)."""
    return region_of(record.dest_country, record.dest_postal)


def build_features(
    records: Sequence[ShipmentRecord],
    *,
    context: Sequence[ShipmentRecord] = (),
    cutoffs: Cutoffs | None = None,
) -> dict[str, list]:
    """One column per feature, aligned with `records`; `context` rows only count towards node load."""
    loads = node_loads(records, context)
    columns: dict[str, list] = defaultdict(list)
    for record, load in zip(records, loads, strict=True):
        for name, value in _row(record, load, (cutoffs or {}).get(record.node_id)).items():
            columns[name].append(value)
    return dict(columns)


def node_loads(records: Sequence[ShipmentRecord], context: Sequence[ShipmentRecord] = ()) -> list[int]:
    """Shipments of the same node released within the 24 hours before each one's release."""
    released: dict[str, list[float]] = defaultdict(list)
    unique = {r.shipment_id: r for r in (*context, *records)}
    for r in unique.values():
        released[r.node_id].append(r.released_at.timestamp())
    for times in released.values():
        times.sort()
    return [_count_before(released[r.node_id], r.released_at.timestamp()) for r in records]


def _count_before(times: list[float], at: float) -> int:
    return bisect_left(times, at) - bisect_left(times, at - LOAD_WINDOW.total_seconds())


def _row(record: ShipmentRecord, load: int, cutoff: NodeCutoff | None) -> dict:
    released = _local(record.released_at, cutoff)
    created = _local(record.created_at, cutoff)
    return {
        "carrier": record.carrier, "region": region(record), "carrier_region": f"{record.carrier}/{region(record)}",
        "service_level": record.service_level, "node_type": record.node_type, "node_id": record.node_id,
        LOAD: load,
        "release_weekday": released.weekday(), "release_hour": _hour(released),
        "created_weekday": created.weekday(), "created_hour": _hour(created),
        "hours_to_cutoff": _hours_to_cutoff(released, cutoff),
        "distance_km": record.distance_km, "units": record.units, "weight_kg": record.weight_kg,
        "promised_lead_h": _hours(record.promised_delivery_at - record.created_at),
        "promised_after_release_h": _hours(record.promised_delivery_at - record.released_at),
        **_season(released.date()),
    }  # fmt: skip


def _local(moment: datetime, cutoff: NodeCutoff | None) -> datetime:
    return moment.astimezone(ZoneInfo(cutoff.timezone)) if cutoff else moment


def _hour(moment: datetime) -> float:
    return moment.hour + moment.minute / 60


def _hours(span: timedelta) -> float:
    return span.total_seconds() / 3600


def _hours_to_cutoff(released: datetime, cutoff: NodeCutoff | None) -> float:
    """Negative after the cut-off; with the cut-off unknown, the end of the release day stands in."""
    limit = datetime.combine(released.date(), cutoff.cutoff, released.tzinfo) if cutoff else None
    return _hours(
        (limit or datetime.combine(released.date() + timedelta(days=1), time(), released.tzinfo)) - released
    )


def _season(day: date) -> dict:
    angle = 2 * pi * day.timetuple().tm_yday / 365.25
    christmas = date(day.year, 12, 25) if day <= date(day.year, 12, 25) else date(day.year + 1, 12, 25)
    return {
        "year_sin": sin(angle), "year_cos": cos(angle), "week_of_year": day.isocalendar().week,
        "days_to_christmas": (christmas - day).days, "black_friday_week": int(_in_black_friday_week(day)),
    }  # fmt: skip


def _in_black_friday_week(day: date) -> bool:
    """Monday before Black Friday (the day after the fourth Thursday of November) to Cyber Monday."""
    first = date(day.year, 11, 1)
    thanksgiving = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thanksgiving - timedelta(days=3) <= day <= thanksgiving + timedelta(days=4)
