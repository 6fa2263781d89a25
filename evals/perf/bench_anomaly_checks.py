"""The rule-based anomaly checks on the demo retailer's year: how long each takes (median and worst of
several rounds) and how many findings it returns, plus the stockout forecast behind the manager page.

    .venv/bin/python -m evals.perf.bench_anomaly_checks [--days 365] [--rounds 5]

Runs in a throw-away database on the configured server (DATABASE_URL, else the embedded one in
OMS_DATA_DIR), seeded with `oms seed demo`'s history and dropped at the end. The checks run as of the
seed's clock, as the scan in `oms run` would right after seeding.
"""

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from evals.perf.scratch_database import scratch_database
from oms.db.engine import make_engine
from oms.services.actor import SYSTEM
from oms.services.anomaly_checks_rates import cancellation_rate_findings, return_rate_findings
from oms.services.anomaly_checks_stockout import stockout_findings
from oms.services.anomaly_checks_stuck import stuck_order_findings
from oms.services.anomaly_checks_volume import channel_volume_findings
from oms.services.demo import seed_demo
from oms.services.stockout_forecast import StockoutQuery, stockout_forecast
from oms.services.uow import UnitOfWork

CHECKS = {"stockout": stockout_findings, "stuck_orders": stuck_order_findings,
          "cancellation_rate": cancellation_rate_findings, "return_rate": return_rate_findings,
          "channel_volume": channel_volume_findings}  # fmt: skip


def timed(run: Callable[[], list], rounds: int) -> tuple[float, float, int]:
    """Median and worst seconds over `rounds`, and how many items the last round returned."""
    seconds, found = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        found = run()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), max(seconds), len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with scratch_database("anomaly_checks") as url:
        engine, now = make_engine(url), datetime.now(UTC)
        seed_demo(engine, Path(tempfile.mkdtemp(prefix="oms-bench-anomaly-")), days=args.days, now=now)
        with engine.connect() as conn:
            sizes = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
                     for t in ("orders", "inventory", "inbound_supply", "audit_events")}  # fmt: skip
        print(f"demo: {args.days} days, " + ", ".join(f"{n:,} {t}" for t, n in sizes.items()))
        print(f"{'check':<20}{'median s':>10}{'worst s':>10}{'found':>8}")
        for name, check in CHECKS.items():
            median, worst, found = timed(lambda c=check: c(UnitOfWork(engine), SYSTEM, now), args.rounds)
            print(f"{name:<20}{median:>10.3f}{worst:>10.3f}{found:>8}")
        query = StockoutQuery(limit=500)
        median, worst, found = timed(
            lambda: stockout_forecast(UnitOfWork(engine), SYSTEM, query, now), args.rounds
        )
        print(f"{'stockout_forecast':<20}{median:>10.3f}{worst:>10.3f}{found:>8}")
        engine.dispose()


if __name__ == "__main__":
    main()
