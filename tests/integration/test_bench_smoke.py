"""The API benchmark's client, against a small live server: it must send valid requests, count every
status and produce the report the README describes. No timing is asserted (this machine is shared)."""

import asyncio

from evals.perf.bench_api import BenchConfig, Target, bench, format_report, report
from evals.perf.http_client import _parse_head, encode_request
from evals.perf.load import run_phase
from tests.factories import add_network, order_body, set_stock
from tests.integration.conftest import ADMIN_KEY

SMALL = BenchConfig(clients=4, orders=12, promises=12, warmup=2, max_seconds=60, mixed_seconds=0.5,
                    mixed_capture_clients=1)  # fmt: skip
PHASE_KEYS = {"name", "clients", "requests", "errors", "statuses", "elapsed_s", "per_second", "latency_ms",
              "client_cpu_s", "client_cpu_pct_of_core", "outcomes", "cores_used", "error_samples"}  # fmt: skip


def test_benchmark_reports_both_phases_without_errors(engine, live_server):
    add_network(engine)
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 500)

    result = bench(Target(live_server, ADMIN_KEY), SMALL, log=lambda *_: None)

    capture = result["capture"]
    assert set(capture) == PHASE_KEYS
    assert capture["requests"] == 12 and capture["errors"] == 0 and capture["statuses"] == {"201": 12}
    assert set(capture["latency_ms"]) == {"p50", "p95", "p99", "max"}
    assert capture["outcomes"] == {"allocated": 12}
    assert result["promise"]["statuses"] == {"200": 12} and result["promise_skipped"] is None
    mixed = result["mixed"]  # both ran at once, on their share of the clients
    assert (mixed["capture"]["clients"], mixed["promise"]["clients"]) == (1, 3)
    assert mixed["capture"]["requests"] > 0 and set(mixed["capture"]["statuses"]) == {"201"}
    assert mixed["promise"]["requests"] > 0 and set(mixed["promise"]["statuses"]) == {"200"}
    assert {g["name"] for g in result["goals"]} == {"orders/s", "promise calls/s", "promise p99 ms"}
    assert result["errors"] == 0
    printed = format_report(result, "smoke")
    assert "orders/s" in printed and "promise while orders are captured:" in printed


def test_failed_requests_are_counted_and_reported_loudly(engine, live_server):
    port = int(live_server.rsplit(":", 1)[1])
    bad_key = encode_request(
        "POST", "/api/v1/orders", f"127.0.0.1:{port}", {"X-API-Key": "wrong"}, order_body()
    )

    capture = asyncio.run(
        run_phase("order capture", "127.0.0.1", port, [bad_key] * 5, clients=2, max_seconds=60)
    )
    result = report(live_server, capture, None, "not measured")

    assert capture.statuses == {401: 5} and result["errors"] == 5
    assert result["capture"]["error_samples"][0].startswith("401: ")
    assert "5 REQUESTS FAILED" in format_report(result, "smoke")


def test_response_head_parsing():
    head = b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 42\r\n\r\n"
    assert _parse_head(head) == (201, 42, False)
    assert _parse_head(b"HTTP/1.1 503 x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n") == (503, 0, True)
    raw = encode_request("POST", "/p", "h:1", {"X-API-Key": "k"}, {"a": 1})
    assert raw.startswith(b"POST /p HTTP/1.1\r\nHost: h:1\r\nContent-Length: 7\r\n")
    assert raw.endswith(b'{"a":1}')
