"""Bulk order import: rows/s and orders/s for checking a file (read, validated, compared with the
database; nothing written) and for the whole import (checked, stored, each order captured), CSV and
XLSX, with 1 to N orders captured at once.

    .venv/bin/python -m evals.perf.bench_bulk_import [--orders 2000] [--workers 1,2,4,8] [--days 30]

Runs in a throw-away database on the configured server (DATABASE_URL, else the embedded one in
OMS_DATA_DIR), seeded with the demo retailer (`--days` of order history), dropped at the end. The file is
what a B2B buyer sends: 1 to 5 lines an order (35/25/20/12/8 %), 2 to 48 units a line, a fifth of the
prices left blank (the catalogue's), order-level cells on every row. Every position is stocked deep
and every node's daily capacity lifted first, so each run allocates alike however many ran before it.
Import and PostgreSQL share the machine.
"""

import argparse
import csv
import io
import os
import random
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine, text

from evals.perf.scratch_database import scratch_database
from evals.perf.workload import DESTINATIONS, STREETS
from oms.db.engine import make_engine
from oms.services.actor import Actor, Role
from oms.services.order_imports import import_orders
from oms.services.order_imports_checks import check_file
from oms.services.order_imports_models import OrderImportCommand
from oms.services.uow import UnitOfWork

HEADER = ["order_ref", "customer_name", "customer_email", "ship_line1", "ship_postal_code", "ship_city",
          "ship_country", "service_level", "notes", "line_ref", "sku", "quantity", "unit_price"]  # fmt: skip
TRADES = ["Sportverein", "Lycée", "Outdoor", "Club de rugby", "Schule", "Bergsport", "Association", "Hotel"]
LINES = ([1, 2, 3, 4, 5], [35, 25, 20, 12, 8])
CLERK = Actor(name="bench-clerk", role=Role.BACKOFFICE)
B2B = OrderImportCommand(channel="b2b")
Log = Callable[[str], None]
_STOCKED_PRICES = """
    SELECT sku, unit_price::text FROM products p
    WHERE active AND currency = 'EUR' AND EXISTS (SELECT FROM inventory i WHERE i.sku = p.sku)
"""


@dataclass(frozen=True)
class BenchConfig:
    orders: int = 2000
    workers: tuple[int, ...] = (1, 2, 4, 8)
    seed: int = 7


def order_rows(rng: random.Random, prices: dict[str, str], orders: int, tag: str) -> list[list]:
    """`orders` B2B orders as file rows, order refs unique to `tag`."""
    skus = sorted(prices)
    rows = []
    for n in range(orders):
        postal_code, city, country = rng.choice(DESTINATIONS)
        buyer = f"{rng.choice(TRADES)} {city} {n % 97}"
        order = [f"PO-{tag}-{n:05d}", buyer, f"achats{n % 97}@{city.lower().replace(' ', '-')}.example",
                 f"{rng.randint(1, 120)} {STREETS[country]}", postal_code, city, country,
                 "express" if rng.random() < 0.1 else "standard", f"bench {tag}"]  # fmt: skip
        lines = min(rng.choices(*LINES)[0], len(skus))
        for line, sku in enumerate(rng.sample(skus, lines), start=1):
            price = "" if rng.random() < 0.2 else prices[sku]
            rows.append([*order, str(line * 10), sku, rng.randint(2, 48), price])
    return rows


def csv_bytes(rows: list[list]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerows([HEADER, *rows])
    return out.getvalue().encode()


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Orders")
    sheet.append(HEADER)
    for row in rows:
        sheet.append([*row[:-1], float(row[-1]) if row[-1] else None])  # prices as numbers, as Excel has them
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _prices(engine: Engine) -> dict[str, str]:
    """The catalogue's EUR prices of the SKUs the network stocks, every position stocked deep and every
    node's daily capacity lifted first: the runs' orders all land on one day, far past the demo nodes'
    capacity (about 1,000 shipments a day in all), and capture slows down once nodes are full."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE inventory SET on_hand = reserved + safety_stock + 1000000"))
        conn.execute(text("UPDATE nodes SET daily_capacity = 1000000"))
        return dict(conn.execute(text(_STOCKED_PRICES)).all())


def time_check(engine: Engine, label: str, content: bytes, log: Log) -> dict:
    start = time.perf_counter()
    checked = check_file(UnitOfWork(engine), CLERK, B2B, content)
    seconds = time.perf_counter() - start
    rows, orders = len(checked.sheet.rows), len(checked.drafts)
    return _figures(f"check  {label}", rows, orders, seconds, checked.errors, log)


def time_import(engine: Engine, label: str, content: bytes, workers: int, log: Log) -> dict:
    start = time.perf_counter()
    report = import_orders(UnitOfWork(engine), CLERK, B2B, content, workers=workers)
    seconds = time.perf_counter() - start
    figures = _figures(f"import {label}", report.rows, report.orders, seconds, report.errors, log)
    return figures | {"workers": workers, "created": report.created}


def _figures(label: str, rows: int, orders: int, seconds: float, errors: list, log: Log) -> dict:
    figures = {"label": label, "rows": rows, "orders": orders, "seconds": round(seconds, 3),
               "errors": len(errors), "rows_per_s": rows / seconds,
               "orders_per_s": orders / seconds}  # fmt: skip
    failed = f", {len(errors)} ERRORS" if errors else ""
    log(f"  {label:<30} {rows / seconds:8,.0f} rows/s  {orders / seconds:7,.0f} orders/s"
        f"  ({rows:,} rows, {orders:,} orders in {seconds:.2f} s{failed})")
    return figures


def bench(engine: Engine, config: BenchConfig, log: Log = print) -> dict:
    """Check and import files of `config.orders` orders on `engine` (a network with channel b2b, products
    and stock); the figures of each run."""
    rng = random.Random(config.seed)
    prices = _prices(engine)
    tags = ("check", "xlsx", *map(str, config.workers))
    files = {tag: order_rows(rng, prices, config.orders, tag) for tag in tags}
    rows, most = files["check"], max(config.workers)
    log(f"bulk import benchmark: {config.orders:,} orders, {len(rows):,} rows a file, {os.cpu_count()} cores")
    checks = [time_check(engine, "CSV", csv_bytes(rows), log),
              time_check(engine, "XLSX", xlsx_bytes(rows), log)]  # fmt: skip
    imports = [time_import(engine, f"CSV, {n} at once", csv_bytes(files[str(n)]), n, log)
               for n in config.workers]  # fmt: skip
    imports.append(time_import(engine, f"XLSX, {most} at once", xlsx_bytes(files["xlsx"]), most, log))
    return {"orders": config.orders, "checks": checks, "imports": imports}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=BenchConfig.orders)
    parser.add_argument("--workers", default="1,2,4,8", help="orders captured at once, one run each")
    parser.add_argument("--days", type=int, default=30, help="days of demo order history to seed")
    args = parser.parse_args()
    config = BenchConfig(orders=args.orders, workers=tuple(int(n) for n in args.workers.split(",")))

    from oms.services.demo import seed_demo

    with scratch_database("bulk") as url:
        engine = make_engine(url, pool_size=max(config.workers) + 2)
        with tempfile.TemporaryDirectory() as data_dir:
            seed_demo(engine, Path(data_dir), args.days)
        bench(engine, config)
        engine.dispose()

if __name__ == "__main__":
    main()
