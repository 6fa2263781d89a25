"""Shopify webhook ingest: signed orders/create deliveries POSTed to a live system (orders/s, latency
percentiles), then every measured delivery again, as Shopify's retries are (duplicates answered 200).

    .venv/bin/python -m evals.perf.bench_shopify_ingest [--orders 2000] [--clients 16] [--workers 3]
    .venv/bin/python -m evals.perf.bench_shopify_ingest --url http://127.0.0.1:8000 --api-key ADMIN_KEY

Without --url, a fresh `oms run --workers N` (embedded PostgreSQL, demo data, the worker) in a temporary
folder, stopped at the end (evals.perf.server). The admin key connects --channel to a bench shop with a
fresh secret: on a running system, name a channel whose integration may be replaced. The orders are the
capture benchmark's carts (evals.perf.workload) as Shopify's order JSON (1-4 line items, 15 % express),
each signed with X-Shopify-Hmac-Sha256 and sent with its own webhook id, encoded before the clock starts
and sent by the closed-loop client of evals.perf.load. Every non-2xx answer is counted and shown; a run
with any exits with status 1.
"""

import argparse
import asyncio
import json
import os
import secrets
import sys
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import orjson

from evals.perf.bench_api import _commit, _format_phase, _loopback, _loud
from evals.perf.cpu import CpuMeter
from evals.perf.http_client import encode_request
from evals.perf.load import PhaseResult, run_phase
from evals.perf.server import LocalSystem
from evals.perf.workload import CartMaker, load_catalog, order_bodies
from oms.channels.shopify.signature import sign

SHOP = "bench-shop.myshopify.com"


@dataclass(frozen=True)
class BenchConfig:
    clients: int = 16
    orders: int = 2000
    warmup: int = 100
    max_seconds: float = 120.0
    channel: str = "web"
    seed: int = 7


def bench(url: str, api_key: str, config: BenchConfig, cpu_roots: dict[str, int] | None = None, log=print) -> dict:
    """Connect the channel to a bench shop, then measure captures and replays; the report (see `report`)."""
    host, port = _loopback(url)
    secret = secrets.token_urlsafe(24)
    with httpx.Client(base_url=url, headers={"X-API-Key": api_key}, timeout=30) as client:
        maker = CartMaker(load_catalog(client), config.seed)
        integration = {"adapter": "shopify", "settings": {"shop_domain": SHOP}, "secret": secret}
        client.put(f"/api/v1/channels/{config.channel}/integration", json=integration).raise_for_status()
    run_id = secrets.token_hex(4)
    path = f"/api/v1/channels/{config.channel}/shopify/webhooks"
    orders = [shopify_order(body, run_id, n) for n, body in enumerate(order_bodies(maker, config.warmup + config.orders,
                                                                                   run_id))]  # fmt: skip
    requests = [encode_request("POST", path, f"{host}:{port}", _signed(order, secret), order) for order in orders]
    measured = requests[config.warmup :]

    def phase(name: str, sent: list[bytes]) -> PhaseResult:
        log(f"{name}: {len(sent)} deliveries, {config.clients} clients (load average {os.getloadavg()[0]:.2f})")
        with CpuMeter(cpu_roots or {}) as meter:
            result = asyncio.run(run_phase(name, host, port, sent, config.clients, config.max_seconds, _result))
        result.cores_used = meter.cores_used()
        return result

    asyncio.run(run_phase("warm-up", host, port, requests[: config.warmup], config.clients, config.max_seconds))
    return report(url, phase("orders/create", measured), phase("replays", measured))


def shopify_order(body: dict, run_id: str, n: int) -> dict:
    """An order capture body of the workload as Shopify's order webhooks send it."""
    order_id = int(run_id, 16) * 1_000_000 + n  # unique per run, below 2**53 as Shopify's ids are
    first, last = body["customer"]["name"].split(" ", 1)
    ship_to = body["ship_to"]
    express = body["service_level"] == "express"
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return {
        "id": order_id, "name": f"#B{n}", "email": body["customer"]["email"], "currency": "EUR",
        "created_at": now, "updated_at": now, "financial_status": "paid", "fulfillment_status": None,
        "cancelled_at": None, "tags": "bench", "note": None, "refunds": [],
        "customer": {"id": order_id + 1, "email": body["customer"]["email"], "first_name": first, "last_name": last},
        "shipping_address": {"first_name": first, "last_name": last, "name": ship_to["name"],
                             "address1": ship_to["line1"], "address2": None, "city": ship_to["city"],
                             "zip": ship_to["postal_code"], "country_code": ship_to["country"], "phone": None},
        "line_items": [
            {"id": order_id * 10 + i, "sku": line["sku"], "variant_id": None, "name": line["sku"],
             "quantity": line["quantity"], "current_quantity": line["quantity"],
             "fulfillable_quantity": line["quantity"], "price": f"{line['unit_price']:.2f}", "requires_shipping": True,
             "gift_card": False, "fulfillment_status": None, "discount_allocations": []}
            for i, line in enumerate(body["lines"])
        ],
        "shipping_lines": [{"code": "Express 24h" if express else "Standard", "title": "Express" if express
                            else "Livraison standard", "price": "9.90" if express else "4.90", "source": "shopify"}],
    }  # fmt: skip


def _signed(order: dict, secret: str) -> dict[str, str]:
    """Shopify's headers for `order`, signed as encode_request serialises it (orjson, deterministic)."""
    return {"X-Shopify-Topic": "orders/create", "X-Shopify-Hmac-Sha256": sign(secret, orjson.dumps(order)),
            "X-Shopify-Shop-Domain": SHOP, "X-Shopify-Webhook-Id": str(uuid.uuid4()),
            "X-Shopify-API-Version": "2024-10"}  # fmt: skip


def _result(body: bytes) -> str:
    start = body.find(b'"result":"') + len(b'"result":"')
    return body[start : body.index(b'"', start)].decode()


def report(url: str, captures: PhaseResult, replays: PhaseResult) -> dict:
    return {
        "url": url,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "captures": captures.summary(),
        "replays": replays.summary(),
        "errors": captures.errors + replays.errors,
    }


def format_report(result: dict, label: str) -> str:
    out = [f"== {label} == ({result['measured_at']}, commit {result['commit']}, {result['cpus']} CPUs)",
           _format_phase(result["captures"], "orders/s"), _format_phase(result["replays"], "replays/s")]  # fmt: skip
    if result["errors"]:
        out.append(_loud(f"{result['errors']} DELIVERIES FAILED (non-2xx or no response): figures are not valid"))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="a running system on 127.0.0.1 (default: start one)")
    p.add_argument("--api-key", help="with --url: an admin key (it sets the channel's integration)")
    p.add_argument("--workers", type=int, default=3, help="API workers of the started system")
    p.add_argument("--clients", type=int, default=BenchConfig.clients)
    p.add_argument("--orders", type=int, default=BenchConfig.orders, help="measured deliveries")
    p.add_argument("--warmup", type=int, default=BenchConfig.warmup)
    p.add_argument("--max-seconds", type=float, default=BenchConfig.max_seconds, help="time limit per phase")
    p.add_argument("--channel", default=BenchConfig.channel)
    p.add_argument("--json", help="also write the report to this file")
    args = p.parse_args(argv)
    if args.url and not args.api_key:
        p.error("--url needs --api-key")
    config = BenchConfig(args.clients, args.orders, args.warmup, args.max_seconds, args.channel)
    if args.url:
        result = bench(args.url, args.api_key, config)
    else:
        with LocalSystem(workers=args.workers) as system:
            result = bench(system.url, system.api_key, config, system.cpu_roots())
    print(format_report(result, f"Shopify ingest, {config.clients} clients"))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, indent=2)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
