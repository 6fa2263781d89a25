"""The shipment rows the delay model learns from and scores: one CSV contract for an imported history,
the open shipments to score and the OMS's own shipments, read into typed records with clear errors."""

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

CONTRACT_COLUMNS = (
    "shipment_id", "order_id", "created_at", "released_at", "node_id", "node_type", "carrier",
    "service_level", "origin_postal", "dest_postal", "dest_country", "distance_km", "units", "weight_kg",
    "promised_delivery_at", "shipped_at", "delivered_at",
)  # fmt: skip
TIMES = ("created_at", "released_at", "promised_delivery_at", "shipped_at", "delivered_at")
NUMBERS = {"distance_km": float, "units": int, "weight_kg": float}
OPTIONAL = ("shipped_at", "delivered_at")


class DelayDataError(ValueError):
    """Input the delay model cannot use; the message names the file, line and column."""


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    shipment_id: str
    order_id: str
    created_at: datetime
    released_at: datetime
    node_id: str
    node_type: str
    carrier: str
    service_level: str
    origin_postal: str
    dest_postal: str
    dest_country: str
    distance_km: float
    units: int
    weight_kg: float
    promised_delivery_at: datetime
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None


def is_late(record: ShipmentRecord) -> bool:
    """Delivered after the promise; an undelivered record is not (yet) late."""
    return record.delivered_at is not None and record.delivered_at > record.promised_delivery_at


def read_shipments_csv(path: Path | str, *, history: bool) -> list[ShipmentRecord]:
    """Records of a contract CSV: a history (every row delivered) or open shipments (none delivered)."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as file:
            reader = csv.DictReader(file)
            _check_header(path, reader.fieldnames)
            records = [_record(path, number, row, history) for number, row in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError) as error:
        raise DelayDataError(f"{path}: cannot read the file ({error})") from error
    if not records:
        raise DelayDataError(f"{path}: no rows under the header")
    _check_unique(path, records)
    return records


def write_shipments_csv(path: Path | str, records: Iterable[ShipmentRecord]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(CONTRACT_COLUMNS)
        writer.writerows([_text(getattr(r, c)) for c in CONTRACT_COLUMNS] for r in records)


def _text(value) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, datetime) else str(value)


def write_predictions_csv(path: Path | str, pairs: Iterable[tuple[str, float]]) -> None:
    with Path(path).open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(("shipment_id", "p_late"))
        writer.writerows((shipment_id, f"{p:.4f}") for shipment_id, p in pairs)


def _check_header(path: Path, header: list[str] | None) -> None:
    if not header:
        raise DelayDataError(f"{path}: the file is empty (expected a header: {', '.join(CONTRACT_COLUMNS)})")
    missing = [c for c in CONTRACT_COLUMNS if c not in header]
    if missing:
        raise DelayDataError(f"{path}: the header lacks the column(s) {', '.join(missing)}")


def _record(path: Path, line: int, row: dict, history: bool) -> ShipmentRecord:
    values = {c: (row.get(c) or "").strip() for c in CONTRACT_COLUMNS}
    for column in TIMES:
        values[column] = _time(path, line, column, values[column])
    for column, kind in NUMBERS.items():
        values[column] = _number(path, line, column, values[column], kind)
    for column in ("shipment_id", "node_id", "carrier", "service_level"):
        if not values[column]:
            raise DelayDataError(f"{path}, line {line}: {column} is empty")
    if history and values["delivered_at"] is None:
        raise DelayDataError(f"{path}, line {line}: a history row needs delivered_at")
    if not history and values["delivered_at"] is not None:
        raise DelayDataError(f"{path}, line {line}: an open shipment has no delivered_at (it is delivered)")
    return ShipmentRecord(**values)


def _time(path: Path, line: int, column: str, text: str) -> datetime | None:
    if not text and column in OPTIONAL:
        return None
    where = f"{path}, line {line}, column {column}"
    if not text:
        raise DelayDataError(f"{where}: empty (an ISO-8601 time with its zone is needed)")
    try:
        value = datetime.fromisoformat(text)
    except ValueError as error:
        raise DelayDataError(f"{where}: {text!r} is not an ISO-8601 time") from error
    if value.tzinfo is None:
        raise DelayDataError(f"{where}: {text!r} has no time zone (e.g. 2026-03-10T09:00:00+01:00)")
    return value


def _number(path: Path, line: int, column: str, text: str, kind: type) -> float | int:
    where = f"{path}, line {line}, column {column}"
    try:
        value = float(text)
    except ValueError as error:
        raise DelayDataError(f"{where}: {text!r} is not a number") from error
    if not 0 <= value < float("inf"):  # also refuses NaN
        raise DelayDataError(f"{where}: {text!r} is negative or not finite")
    if kind is int and not value.is_integer():
        raise DelayDataError(f"{where}: {text!r} is not a whole number")
    return kind(value)


def _check_unique(path: Path, records: list[ShipmentRecord]) -> None:
    seen: set[str] = set()
    for record in records:
        if record.shipment_id in seen:
            raise DelayDataError(f"{path}: shipment_id {record.shipment_id} appears twice")
        seen.add(record.shipment_id)
