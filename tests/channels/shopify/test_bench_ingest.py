"""The Shopify ingest benchmark, run tiny against a live server: its deliveries are signed so that every
one is captured, its replays answered as duplicates, and it reports both. No timing is asserted."""

import orjson

from evals.perf.bench_shopify_ingest import BenchConfig, _signed, bench, format_report, shopify_order
from oms.channels.shopify.signature import verify
from tests.factories import add_network, order_body, set_stock
from tests.integration.conftest import ADMIN_KEY, live_server  # noqa: F401  (the API in two worker processes)

TINY = BenchConfig(clients=2, orders=8, warmup=2, max_seconds=60)


def test_the_benchmark_captures_every_delivery_and_answers_its_replays_as_duplicates(engine, live_server):  # noqa: F811
    add_network(engine)
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 500)

    result = bench(live_server, ADMIN_KEY, TINY, log=lambda *_: None)

    captures, replays = result["captures"], result["replays"]
    assert captures["statuses"] == {"201": 8} and captures["outcomes"] == {"captured": 8}
    assert replays["statuses"] == {"200": 8} and replays["outcomes"] == {"duplicate": 8}
    assert set(captures["latency_ms"]) == {"p50", "p95", "p99", "max"} and result["errors"] == 0
    assert "orders/s" in format_report(result, "smoke") and "replays/s" in format_report(result, "smoke")


def test_its_orders_are_shopify_orders_signed_as_sent():
    order = shopify_order(order_body("B-1", lines=[("TSH-BLU-L", 2), ("JKT-RED-M", 1)]), "0a1b2c3d", 7)
    headers = _signed(order, "s" * 24)
    assert verify("s" * 24, orjson.dumps(order), headers["X-Shopify-Hmac-Sha256"])
    assert [(item["sku"], item["quantity"]) for item in order["line_items"]] == [("TSH-BLU-L", 2), ("JKT-RED-M", 1)]
    assert order["id"] == int("0a1b2c3d", 16) * 1_000_000 + 7 and order["id"] < 2**53
