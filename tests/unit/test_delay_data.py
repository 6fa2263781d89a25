"""The delay model's input: the CSV contract read with errors naming line and column, and the checks a
training history must pass."""

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from oms.ml.delay_checks import check_training_rows
from oms.ml.delay_rows import (
    CONTRACT_COLUMNS,
    DelayDataError,
    ShipmentRecord,
    is_late,
    read_shipments_csv,
    write_predictions_csv,
    write_shipments_csv,
)

START = datetime(2026, 3, 2, 9, tzinfo=UTC)


def shipment(number: int, *, late: bool = False, delivered: bool = True) -> ShipmentRecord:
    """A parcel created every two hours from START; every seventh one late unless told."""
    created = START + timedelta(hours=2 * number)
    promised = created + timedelta(days=3)
    return ShipmentRecord(
        shipment_id=str(number), order_id=str(1000 + number), created_at=created,
        released_at=created + timedelta(minutes=20), node_id="WH-LYON", node_type="warehouse",
        carrier="GLS", service_level="standard", origin_postal="38070", dest_postal="75011", dest_country="FR",
        distance_km=460.0, units=2, weight_kg=1.5, promised_delivery_at=promised,
        shipped_at=created + timedelta(hours=6) if delivered else None,
        delivered_at=(promised + timedelta(hours=20) if late else promised - timedelta(hours=5)) if delivered else None,
    )  # fmt: skip


def history(rows: int = 300) -> list[ShipmentRecord]:
    return [shipment(n, late=n % 7 == 0) for n in range(rows)]


def write_lines(tmp_path, *lines: str):
    path = tmp_path / "shipments.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def csv_with(tmp_path, column: str, value: str, *, history_file: bool = True):
    """A two-row CSV whose second row has `value` in `column`."""
    path = tmp_path / "good.csv"
    write_shipments_csv(path, [shipment(n, delivered=history_file) for n in (1, 2)])
    header, first, *rest = path.read_text().splitlines()
    row = dict(zip(header.split(","), first.split(","), strict=True)) | {column: value}
    return write_lines(tmp_path, header, *rest, ",".join(row[c] for c in CONTRACT_COLUMNS))


def test_a_history_written_to_the_contract_reads_back_the_same(tmp_path):
    path = tmp_path / "history.csv"
    write_shipments_csv(path, history(20))
    assert read_shipments_csv(path, history=True) == history(20)


def test_late_means_delivered_after_the_promise():
    assert is_late(shipment(1, late=True)) and not is_late(shipment(1))
    assert not is_late(shipment(1, delivered=False))


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("released_at", "yesterday", "line 3, column released_at: 'yesterday' is not an ISO-8601 time"),
        (
            "created_at",
            "2026-03-02T09:00:00",
            "line 3, column created_at: '2026-03-02T09:00:00' has no time zone",
        ),
        ("distance_km", "far", "line 3, column distance_km: 'far' is not a number"),
        ("weight_kg", "-2", "line 3, column weight_kg: '-2' is negative"),
        ("units", "nan", "line 3, column units: 'nan' is negative or not finite"),
        ("units", "2.5", "line 3, column units: '2.5' is not a whole number"),
        ("delivered_at", "", "line 3: a history row needs delivered_at"),
        ("promised_delivery_at", "", "line 3, column promised_delivery_at: empty"),
        ("carrier", "", "line 3: carrier is empty"),
        ("shipment_id", "2", "shipment_id 2 appears twice"),
    ],
)
def test_a_bad_history_row_is_refused_naming_line_and_column(tmp_path, column, value, message):
    with pytest.raises(DelayDataError, match=message):
        read_shipments_csv(csv_with(tmp_path, column, value), history=True)


def test_an_open_shipment_that_was_delivered_is_refused(tmp_path):
    path = csv_with(tmp_path, "delivered_at", "2026-03-05T10:00:00+01:00", history_file=False)
    with pytest.raises(DelayDataError, match="line 3: an open shipment has no delivered_at"):
        read_shipments_csv(path, history=False)


def test_missing_empty_and_headless_files_are_refused(tmp_path):
    with pytest.raises(DelayDataError, match="cannot read the file"):
        read_shipments_csv(tmp_path / "absent.csv", history=True)
    with pytest.raises(DelayDataError, match="the file is empty"):
        read_shipments_csv(write_lines(tmp_path, ""), history=True)
    with pytest.raises(DelayDataError, match="no rows under the header"):
        read_shipments_csv(write_lines(tmp_path, ",".join(CONTRACT_COLUMNS)), history=True)


def test_a_header_without_contract_columns_names_them(tmp_path):
    columns = [c for c in CONTRACT_COLUMNS if c not in ("carrier", "dest_postal")]
    with pytest.raises(DelayDataError, match="lacks the column\\(s\\) carrier, dest_postal"):
        read_shipments_csv(
            write_lines(tmp_path, ",".join(columns), ",".join("x" * len(columns))), history=True
        )


def test_predictions_are_written_as_shipment_id_and_p_late(tmp_path):
    path = tmp_path / "pred.csv"
    write_predictions_csv(path, [("7", 0.123456), ("8", 0.9)])
    assert path.read_text().splitlines() == ["shipment_id,p_late", "7,0.1235", "8,0.9000"]


def test_a_usable_history_passes_the_checks():
    check_training_rows(history())


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (history(150), "150 delivered shipment\\(s\\): at least 200"),
        ([shipment(n) for n in range(300)], "0 late and 300 on-time"),
        (
            [dataclasses.replace(r, created_at=START, released_at=START) for r in history()],
            "the history spans",
        ),
        (
            [dataclasses.replace(r, node_type="") for r in history()],
            "the column node_type is empty in every row",
        ),
        ([dataclasses.replace(r, distance_km=0.0) for r in history()], "distance_km is 0 in every row"),
        (
            history()[:-1] + [dataclasses.replace(history()[-1], released_at=START)],
            "shipment 299: times out of order",
        ),
        (history()[:-1] + [shipment(299, delivered=False)], "1 shipment\\(s\\) not delivered, e.g. 299"),
    ],
    ids=[
        "too-few",
        "no-late",
        "too-short",
        "empty-node-type",
        "no-distance",
        "times-out-of-order",
        "undelivered",
    ],
)
def test_a_history_unfit_to_train_on_is_refused_saying_why(rows, message):
    with pytest.raises(DelayDataError, match=message):
        check_training_rows(rows)
