"""Webhook worker costs: fan-out of the outbox per 1,000 messages (no subscription, one, five), the idle
cost of both jobs, and delivery throughput to a receiver on localhost.

    .venv/bin/python -m evals.perf.bench_webhooks [--messages 20000] [--deliveries 3000]

Runs in a throw-away database on the configured server (DATABASE_URL, else the embedded one in
OMS_DATA_DIR), dropped at the end. The receiver runs in this process and answers 200 at once, so the
throughput figures are the sender's ceiling on this machine (sender, receiver and PostgreSQL share it).
"""

import argparse
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import text

from evals.perf.scratch_database import scratch_database
from oms.db.engine import make_engine
from oms.services.actor import SYSTEM
from oms.services.uow import UnitOfWork
from oms.services.webhook_delivery import DeliverySettings, deliver_due
from oms.services.webhook_outbox import fan_out
from oms.services.webhook_subscriptions import SubscriptionCreate, create_subscription

PAYLOAD = '{"entity_type": "order", "entity_id": "1", "data": {"id": 1, "status": "allocated", "lines": []}}'


class Accept(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a real receiver would

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


def add_outbox(engine, count: int, event_type: str = "order.created") -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO outbox (event_id, event_type, payload) SELECT gen_random_uuid(), :t,"
                          " CAST(:p AS jsonb) FROM generate_series(1, :n)"), {"t": event_type, "p": PAYLOAD, "n": count})  # fmt: skip


def subscribe(engine, url: str, types: list[str]) -> None:
    create_subscription(UnitOfWork(engine), SYSTEM, SubscriptionCreate(url=url, event_types=types))


def reset(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE webhook_deliveries, webhook_subscriptions, outbox RESTART IDENTITY"))


def time_fan_out(engine, messages: int, label: str, url: str, subscriptions: list[list[str]]) -> None:
    reset(engine)
    for types in subscriptions:
        subscribe(engine, url, types)
    add_outbox(engine, messages)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE outbox"))
    start = time.perf_counter()
    published = fan_out(engine, batch=1000)
    while published < messages:
        published += fan_out(engine, batch=1000)
    seconds = time.perf_counter() - start
    with engine.connect() as conn:
        queued = conn.execute(text("SELECT count(*) FROM webhook_deliveries")).scalar_one()
    print(f"  fan-out, {label:<34} {seconds / messages * 1000 * 1000:7.1f} ms per 1,000 messages"
          f"  ({messages:,} messages, {queued:,} deliveries queued)")  # fmt: skip


def time_idle(engine, settings: DeliverySettings) -> None:
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        fan_out(engine)
        deliver_due(engine, settings)
    print(f"  idle: fan-out + delivery job, nothing to do   {(time.perf_counter() - start) / runs * 1000:7.2f} ms a run")


def time_delivery(engine, url: str, deliveries: int, subscriptions: int, settings: DeliverySettings) -> None:
    reset(engine)
    for n in range(subscriptions):
        subscribe(engine, f"{url}/s{n}", ["*"])
    add_outbox(engine, deliveries // subscriptions)
    fan_out(engine)
    start, sent = time.perf_counter(), 0
    while sent < deliveries:
        sent += deliver_due(engine, settings)
    seconds = time.perf_counter() - start
    print(f"  delivery, {subscriptions} subscription(s):{'':<15} {sent / seconds:7.0f} deliveries/s"
          f"  ({sent:,} in {seconds:.1f} s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--deliveries", type=int, default=3_000)
    args = parser.parse_args()

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Accept)
    receiver.daemon_threads = True
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{receiver.server_address[1]}"
    try:
        with scratch_database("webhooks") as url:
            engine = make_engine(url, pool_size=12)
            settings = DeliverySettings(timeout_s=5, lease_s=60, run_budget_s=10)
            print(f"webhooks benchmark ({os.cpu_count()} cores, PostgreSQL and receiver on this machine)")
            for label, subscriptions in (
                ("no subscription:", []),
                ("one subscription, another type:", [["refund.issued"]]),
                ("one subscription of the type:", [["order.created"]]),
                ("five subscriptions of the type:", [["*"]] + [["order.created"]] * 4),
            ):
                time_fan_out(engine, args.messages, label, target, subscriptions)
            reset(engine)
            time_idle(engine, settings)
            time_delivery(engine, target, args.deliveries, 1, settings)
            time_delivery(engine, target, args.deliveries, 4, settings)
            engine.dispose()
    finally:
        receiver.shutdown()

if __name__ == "__main__":
    main()
