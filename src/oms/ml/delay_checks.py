"""Checks on a training history before any model is fitted: a model trained on too few rows, on one
class, on a few days or on a column left empty would look fine and mean nothing."""

from collections.abc import Sequence
from datetime import timedelta

from oms.ml.delay_rows import DelayDataError, ShipmentRecord, is_late

MIN_ROWS = 200
MIN_EACH_CLASS = 10
MIN_SPAN = timedelta(days=14)  # room for a later validation window of a few days
REQUIRED_TEXT = ("carrier", "node_type", "node_id", "service_level", "dest_country")


def check_training_rows(records: Sequence[ShipmentRecord]) -> None:
    """Raise DelayDataError saying what is wrong with the history; return quietly when it can be used."""
    if len(records) < MIN_ROWS:
        raise DelayDataError(f"{len(records)} delivered shipment(s): at least {MIN_ROWS} are needed to train")
    _check_delivered(records)
    _check_classes(records)
    _check_span(records)
    _check_columns(records)
    _check_order_of_times(records)


def _check_delivered(records: Sequence[ShipmentRecord]) -> None:
    undelivered = [r.shipment_id for r in records if r.delivered_at is None]
    if undelivered:
        raise DelayDataError(f"{len(undelivered)} shipment(s) not delivered, e.g. {undelivered[0]}")


def _check_classes(records: Sequence[ShipmentRecord]) -> None:
    late = sum(map(is_late, records))
    if min(late, len(records) - late) < MIN_EACH_CLASS:
        raise DelayDataError(
            f"{late} late and {len(records) - late} on-time shipment(s): "
            f"at least {MIN_EACH_CLASS} of each are needed to learn what makes a parcel late"
        )


def _check_span(records: Sequence[ShipmentRecord]) -> None:
    created = [r.created_at for r in records]
    if max(created) - min(created) < MIN_SPAN:
        raise DelayDataError(
            f"the history spans {max(created) - min(created)}: at least {MIN_SPAN.days} days are needed "
            "to validate on a later window"
        )


def _check_columns(records: Sequence[ShipmentRecord]) -> None:
    for column in REQUIRED_TEXT:
        if not any(getattr(r, column) for r in records):
            raise DelayDataError(f"the column {column} is empty in every row")
    if not any(r.distance_km for r in records):
        raise DelayDataError("distance_km is 0 in every row")


def _check_order_of_times(records: Sequence[ShipmentRecord]) -> None:
    for r in records:
        if r.released_at < r.created_at or r.delivered_at < r.released_at:
            raise DelayDataError(
                f"shipment {r.shipment_id}: times out of order (created {r.created_at.isoformat()}, "
                f"released {r.released_at.isoformat()}, delivered {r.delivered_at.isoformat()})"
            )
