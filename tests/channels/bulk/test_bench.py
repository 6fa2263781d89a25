"""The bulk import benchmark, run tiny: its files import without an error, and it reports every run. No
timing is asserted (this machine is shared)."""

import random
from collections import Counter
from decimal import Decimal

from evals.perf.bench_bulk_import import BenchConfig, bench, csv_bytes, order_rows, xlsx_bytes
from oms.channels.bulk.reading import read_sheet
from tests.factories import add_network, set_stock


def test_the_benchmark_checks_and_imports_its_files_without_errors(engine):
    add_network(engine)
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-KOELN", sku, 5)
    lines: list[str] = []

    result = bench(engine, BenchConfig(orders=6, workers=(1, 3)), log=lines.append)

    assert [c["label"] for c in result["checks"]] == ["check  CSV", "check  XLSX"]
    assert all(c["errors"] == 0 and c["orders"] == 6 for c in result["checks"])
    imports = [(i["workers"], i["created"], i["errors"]) for i in result["imports"]]
    assert imports == [(1, 6, 0), (3, 6, 0), (3, 6, 0)]
    assert len(lines) == 1 + 2 + 3 and all("rows/s" in line for line in lines[1:])


def test_its_files_are_b2b_orders_of_one_to_five_lines_in_both_formats():
    rows = order_rows(random.Random(1), {"A": "1.00", "B": "2.50", "C": "3.00", "D": "4", "E": "5"}, 40, "t")
    lines = Counter(row[0] for row in rows).values()
    assert len(lines) == 40 and {1, 2, 3, 4, 5} >= set(lines) and len(set(lines)) > 2
    csv_rows, xlsx_rows = read_sheet(csv_bytes(rows)).rows, read_sheet(xlsx_bytes(rows)).rows
    assert [_priced(r.cells) for r in csv_rows] == [_priced(r.cells) for r in xlsx_rows]


def _priced(cells: dict) -> dict:
    """The cells, the price as a number (XLSX keeps 2.50 as 2.5)."""
    return cells | {"unit_price": Decimal(cells["unit_price"])} if "unit_price" in cells else cells
