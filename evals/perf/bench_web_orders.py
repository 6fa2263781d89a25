"""The web console's orders list with 100,000 orders in the database: server time of GET /orders
(p50/p95/p99) over repeated requests with different filters and pages; the goal is under 300 ms.

    .venv/bin/python -m evals.perf.bench_web_orders [--orders 100000] [--rounds 10]

Runs in a throw-away database on the configured server (DATABASE_URL, else the embedded one in
OMS_DATA_DIR), dropped at the end. The orders are the demo retailer's history (oms seed demo), as many
days of it as make the orders asked for. Requests go through the app in this process (Starlette's
TestClient, signed in as ops with a session cookie): the time is the server's, without a network.
"""

import argparse
import math
import os
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from evals.perf.scratch_database import scratch_database
from oms.api.app import create_app
from oms.db.engine import make_engine
from oms.services.actor import Role
from oms.services.api_keys import ensure_api_key
from oms.services.demo import seed_demo

GOAL_MS = 300.0
DEMO_ORDERS_PER_DAY = 150  # what the demo retailer takes on an average day over a long history (measured: 157)
KEY = "bench-web-orders-ops"


def fill(engine: Engine, orders: int) -> int:
    """The demo history long enough for about `orders` orders; how many there are."""
    days = max(1, math.ceil(orders / DEMO_ORDERS_PER_DAY))
    seed_demo(engine, Path(tempfile.mkdtemp(prefix="oms-bench-web-")), days=days)
    ensure_api_key(engine, "bench-web-orders", Role.OPS, KEY)
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM orders")).scalar_one()


def workload(engine: Engine) -> dict[str, str]:
    """One query string per kind of search a desk makes, from values the data holds."""
    with engine.connect() as conn:
        customer = conn.execute(text("SELECT name, email FROM customers ORDER BY id DESC LIMIT 1")).one()
        external_id = conn.execute(text("SELECT external_id FROM orders ORDER BY id LIMIT 1")).scalar_one()
        nodes = conn.execute(text("SELECT node_id FROM fulfilment_orders GROUP BY 1 ORDER BY count(*)")).scalars().all()
        month = conn.execute(text("SELECT (max(created_at) - interval '40 days')::date FROM orders")).scalar_one()
    return {
        "first page": "",
        "status on hold": "status=on_hold",
        "status delivered": "status=delivered",
        "channel": "channel=marketplace",
        "busiest node": f"node={nodes[-1] if nodes else 'WH-LYON'}",
        "quietest node": f"node={nodes[0] if nodes else 'WH-LYON'}",
        "customer name": "q=" + customer.name.split()[-1],
        "customer e-mail": "q=" + customer.email,
        "channel reference": "q=" + external_id,
        "created dates": f"created_from={month}&created_to={month}",
        "late": "late=true",
        "at risk": "at_risk=true",
        "status and channel": "status=cancelled&channel=web",
    }


def measure(client: TestClient, queries: dict[str, str], rounds: int, pages: int = 3) -> dict[str, list[float]]:
    """Milliseconds per request by kind; each round reads each kind's first `pages` pages (keyset)."""
    timings: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for kind, query in queries.items():
            url = f"/orders?{query}"
            for _page in range(pages):
                started = time.perf_counter()
                answer = client.get(url, headers={"HX-Request": "true"})
                timings[kind].append((time.perf_counter() - started) * 1000)
                assert answer.status_code == 200, answer.text[:500]
                cursor = answer.text.rsplit("cursor=", 1)[1].split('"')[0] if "Older orders" in answer.text else None
                if cursor is None:
                    break
                url = f"/orders?{query}&cursor={cursor}"
    return timings


def signed_in_client(engine: Engine) -> TestClient:
    client = TestClient(create_app(engine))
    client.__enter__()
    token = client.get("/sign-in").text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/sign-in", data={"api_key": KEY, "csrf_token": token}).status_code == 200
    return client


def report(timings: dict[str, list[float]], orders: int, what: str = "orders list",
           goal_ms: float = GOAL_MS) -> dict[str, float]:  # fmt: skip
    every = sorted(t for ts in timings.values() for t in ts)
    quantiles = statistics.quantiles(every, n=100, method="inclusive")
    figures = {"p50": quantiles[49], "p95": quantiles[94], "p99": quantiles[98], "max": every[-1]}
    print(f"{what}, {orders:,} orders, {len(every)} requests ({os.cpu_count()} cores, PostgreSQL on this machine)")
    for kind, ts in timings.items():
        print(f"  {kind:<28} median {statistics.median(ts):7.1f} ms   max {max(ts):7.1f} ms   ({len(ts)} requests)")
    verdict = "goal met" if figures["p99"] < goal_ms else "GOAL MISSED"
    print("  all: " + "   ".join(f"{k} {v:.1f} ms" for k, v in figures.items()) + f"   ({verdict}: p99 < {goal_ms:.0f} ms)")
    return figures


@contextmanager
def signed_in_on_history(engine: Engine, orders: int) -> Iterator[tuple[int, TestClient]]:
    """The demo history of about `orders` orders, and a client signed in on it: (orders, client)."""
    count = fill(engine, orders)
    client = signed_in_client(engine)
    try:
        yield count, client
    finally:
        client.__exit__(None, None, None)


def run(engine: Engine, orders: int, rounds: int) -> dict[str, float]:
    with signed_in_on_history(engine, orders) as (count, client):
        queries = workload(engine)
        measure(client, queries, 1, pages=1)  # warm-up: plans, caches, templates
        return report(measure(client, queries, rounds), count)


def bench_main(run: Callable[[Engine, int, int], object], description: str, database: str, what: str) -> None:
    """The command line of a console benchmark: `--orders`, `--rounds`, in a scratch database."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10, help=f"Times each kind of {what} is repeated")
    args = parser.parse_args()

    with scratch_database(database) as url:
        engine = make_engine(url, pool_size=4)
        run(engine, args.orders, args.rounds)
        engine.dispose()


def main() -> None:
    bench_main(run, __doc__.splitlines()[0], "web", "search")

if __name__ == "__main__":
    main()
