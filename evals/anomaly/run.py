"""Delay model eval: simulate the demo network (lateness from a hidden mechanism), train on its history,
then score a later held-out window as open shipments and compare with what really happened.

    python -m evals.anomaly.run [--days 240] [--seed 7] [--now 2026-11-23] [--holdout-days 21] [--csv-dir DIR]

Prints ROC-AUC, precision at 100 and Brier score (and log loss) of the model and of a per-carrier baseline,
on the model's own validation window and on the held-out window, with rows, late rates, windows, timings."""

import argparse
import csv
import dataclasses
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from evals.anomaly.simulate import simulated_records
from oms.ml.delay_cutoffs import write_cutoffs_csv
from oms.ml.delay_metrics import CarrierBaseline, late_labels, score
from oms.ml.delay_model import train_delay_model
from oms.ml.delay_rows import ShipmentRecord, write_shipments_csv

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
SETTLE = timedelta(days=10)  # every parcel created before now - SETTLE has been delivered: labels are final


def main() -> None:
    args, laps = _arguments(), Laps()
    records, cutoffs = simulated_records(args.days, args.now, args.seed)
    laps("simulate")
    history, held_out = _split(
        records, args.now - SETTLE - timedelta(days=args.holdout_days), args.now - SETTLE
    )
    if args.csv_dir:
        _write_csvs(Path(args.csv_dir), history, held_out, cutoffs)
    model = train_delay_model(history, cutoffs=cutoffs, seed=args.seed)
    laps("train")
    p_late = model.predict([_open(r) for r in held_out], context=history)
    laps(f"score {len(held_out)} open")
    reasons = model.explain([held_out[i] for i in np.argsort(-p_late)[:1000]], context=history)
    laps(f"explain {len(reasons)}")
    _print_header(args, records, history, held_out, model.metadata)
    _print_metrics("validation window (inside the history)", model.metadata["metrics"],
                   model.metadata["baseline_metrics"])  # fmt: skip
    late = late_labels(held_out)
    _print_metrics("held-out window (scored as open shipments)", score(late, p_late),
                   score(late, CarrierBaseline(history).predict(held_out)))  # fmt: skip
    _print_reasons(reasons)
    print("\ntimings: " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in laps.seconds.items()))


class Laps:
    """Wall time of each step, from the end of the one before."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step], self._last = now - self._last, now


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=240, help="days of history to simulate")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", type=_moment, default=NOW, help="the simulation's end (ISO date)")
    parser.add_argument("--holdout-days", type=int, default=21, help="the later window scored as open")
    parser.add_argument(
        "--csv-dir", help="also write history.csv, open.csv, open_truth.csv, cutoffs.csv there"
    )
    return parser.parse_args()


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(hour=12, tzinfo=UTC)


def _split(records: list[ShipmentRecord], start: datetime, end: datetime) -> tuple[list, list]:
    return [r for r in records if r.created_at < start], [r for r in records if start <= r.created_at < end]


def _open(record: ShipmentRecord) -> ShipmentRecord:
    return dataclasses.replace(record, shipped_at=None, delivered_at=None)


def _write_csvs(folder: Path, history: list[ShipmentRecord], held_out: list[ShipmentRecord], cutoffs) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_cutoffs_csv(folder / "cutoffs.csv", cutoffs)
    write_shipments_csv(folder / "history.csv", history)
    write_shipments_csv(folder / "open.csv", [_open(r) for r in held_out])
    with (folder / "open_truth.csv").open("w", newline="") as file:
        csv.writer(file).writerows([("shipment_id", "late"), *zip([r.shipment_id for r in held_out],
                                                                   late_labels(held_out), strict=True)])  # fmt: skip


def _print_header(args, records, history, held_out, metadata: dict) -> None:
    print(f"simulated {args.days} days to {args.now:%Y-%m-%d} (seed {args.seed}): {len(records)} delivered shipments, "
          f"late rate {late_labels(records).mean():.3f}")  # fmt: skip
    print(f"history {len(history)} rows (created to {history[-1].created_at:%Y-%m-%d}); model {metadata['version']} "
          f"trained {metadata['train_from'][:10]}..{metadata['train_to'][:10]}, "
          f"validated {metadata['validate_from'][:10]}..{metadata['validate_to'][:10]}")  # fmt: skip
    print(
        f"held out {len(held_out)} rows created {held_out[0].created_at:%Y-%m-%d}..{held_out[-1].created_at:%Y-%m-%d}"
    )


def _print_reasons(reasons: list[list[tuple[str, str, float]]]) -> None:
    """What the model blames for the riskiest parcels: how often each feature is the strongest reason."""
    strongest = Counter(top[0][0] for top in reasons if top)
    print(f"\nstrongest reason among the {len(reasons)} riskiest held-out parcels:")
    print("  " + ", ".join(f"{feature} {count}" for feature, count in strongest.most_common(8)))


def _print_metrics(title: str, model: dict, baseline: dict) -> None:
    print(f"\n{title}: {model['rows']} rows, late rate {model['late_rate']:.3f}")
    print(f"  {'':<18}{'model':>9}{'per-carrier':>13}")
    for key in ("roc_auc", "precision_at_100", "brier", "log_loss"):
        print(f"  {key:<18}{model[key]:>9.4f}{baseline[key]:>13.4f}")


if __name__ == "__main__":
    main()
