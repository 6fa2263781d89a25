"""API benchmark: order capture and delivery promise under concurrent HTTP clients, each alone, then the
promise while orders are captured (a checkout page during an order peak).

    python -m evals.perf.bench_api                      # starts `oms run --workers 2` in a temp folder
    python -m evals.perf.bench_api --workers 1,2,3      # one fresh system per setting, then compares
    python -m evals.perf.bench_api --url http://127.0.0.1:8000 --api-key KEY   # a running system

Each phase first sends a few unmeasured warm-up requests (connection pools, first-call imports), then
its measured requests with --clients concurrent keep-alive connections. Every non-2xx answer is
counted and shown; a run with any error exits with status 1. See evals/perf/README.md.
"""

import argparse
import asyncio
import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from evals.perf.cpu import CpuMeter
from evals.perf.http_client import encode_request
from evals.perf.load import PhaseResult, run_phase
from evals.perf.workload import CartMaker, load_catalog, order_bodies, promise_bodies

ORDERS_PATH = "/api/v1/orders"
PROMISE_PATH = "/api/v1/promise"
# The goals of issue 01 for this 2-core machine with the embedded database.
GOAL_ORDERS_PER_S = 500
GOAL_PROMISES_PER_S = 2000
GOAL_PROMISE_P99_MS = 50
# More than this many cores used by processes outside the benchmark means the machine was not quiet.
BUSY_MACHINE_CORES = 0.2


@dataclass(frozen=True)
class BenchConfig:
    clients: int = 32
    orders: int = 5000
    promises: int = 20000
    warmup: int = 200
    max_seconds: float = 120.0  # per measured phase: a slow system still finishes
    channel: str = "web"
    seed: int = 7
    # Promise calls while orders are captured: this long (0 skips it), with this many of the clients
    # capturing and the others asking for promises.
    mixed_seconds: float = 10.0
    mixed_capture_clients: int = 8


@dataclass(frozen=True)
class Target:
    """A system to measure. `cpu_roots` names process trees whose CPU use is reported per phase (e.g.
    the API and PostgreSQL of a system the benchmark started); `profiler(phase)` is a context manager
    wrapped around each measured phase."""

    url: str
    api_key: str
    cpu_roots: dict[str, int] = field(default_factory=dict)
    profiler: Callable[[str], AbstractContextManager] | None = None


def bench(target: Target, config: BenchConfig, log=print) -> dict:
    """Run both phases against `target` and return the report (see `report`)."""
    host, port = _loopback(target.url)
    headers = {"X-API-Key": target.api_key}
    with httpx.Client(base_url=target.url, headers=headers, timeout=30) as client:
        catalog = load_catalog(client)
        maker = CartMaker(catalog, config.seed)
        log(f"{len(maker.skus)} SKUs with stock ({sum(catalog.atp.values())} units ATP)")
        promise_skip = _promise_unavailable(client, promise_bodies(maker, 1, config.channel)[0])

    def encoded(path: str, bodies: list[dict]) -> list[bytes]:
        return [encode_request("POST", path, f"{host}:{port}", headers, body) for body in bodies]

    def measure(name: str, path: str, bodies: list[dict], inspect) -> PhaseResult:
        requests = encoded(path, bodies)
        log(f"{name}: {config.warmup} warm-up, then {len(requests) - config.warmup} requests, "
            f"{config.clients} clients (load average {os.getloadavg()[0]:.2f})")  # fmt: skip
        asyncio.run(
            run_phase("warm-up", host, port, requests[: config.warmup], config.clients, config.max_seconds)
        )
        profiling = target.profiler(name) if target.profiler else nullcontext()
        with CpuMeter(target.cpu_roots) as meter, profiling:
            result = asyncio.run(
                run_phase(
                    name, host, port, requests[config.warmup :], config.clients, config.max_seconds, inspect
                )
            )
        result.cores_used = meter.cores_used()
        return result

    def measure_mixed(run_id: str) -> tuple[PhaseResult, PhaseResult]:
        """Captures and promises at once for `mixed_seconds`, each on its share of the clients."""
        seconds, capturing = config.mixed_seconds, config.mixed_capture_clients
        asking = config.clients - capturing
        # More requests than the phase can take (it stops at the time limit): 1,000 orders/s, 8,000 promises/s.
        orders = encoded(ORDERS_PATH, order_bodies(maker, int(seconds * 1000), run_id, config.channel))
        carts = encoded(PROMISE_PATH, promise_bodies(maker, int(seconds * 8000), config.channel))
        log(f"promise while orders are captured: {seconds:g} s, {capturing} clients capturing, {asking} asking"
            f" for promises (load average {os.getloadavg()[0]:.2f})")  # fmt: skip

        async def both() -> list[PhaseResult]:
            return await asyncio.gather(
                run_phase("capture alongside", host, port, orders, capturing, seconds, _order_status),
                run_phase("promise alongside", host, port, carts, asking, seconds, _promise_outcome),
            )

        with CpuMeter(target.cpu_roots) as meter:
            capture, promise = asyncio.run(both())
        capture.cores_used = meter.cores_used()  # of the whole phase: printed once
        return capture, promise

    run_id = secrets.token_hex(4)
    orders = order_bodies(maker, config.warmup + config.orders, run_id, config.channel)
    capture = measure("order capture", ORDERS_PATH, orders, _order_status)
    promise = mixed = None
    if promise_skip:
        log(f"delivery promise: SKIPPED, {promise_skip}")
    else:
        carts = promise_bodies(maker, config.warmup + config.promises, config.channel)
        promise = measure("delivery promise", PROMISE_PATH, carts, _promise_outcome)
        if config.mixed_seconds > 0:
            mixed = measure_mixed(run_id + "-mixed")
    return report(target.url, capture, promise, promise_skip, mixed)


def report(
    url: str,
    capture: PhaseResult,
    promise: PhaseResult | None,
    promise_skip: str | None,
    mixed: tuple[PhaseResult, PhaseResult] | None = None,
) -> dict:
    """The figures, goal verdicts and error total of one target, as printed and as --json writes them."""
    result = {
        "url": url,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "capture": capture.summary(),
        "promise": None,
        "promise_skipped": promise_skip,
        # Not among the goals, which are each endpoint's alone: how the promise holds up under order flow.
        "mixed": {"capture": mixed[0].summary(), "promise": mixed[1].summary()} if mixed else None,
    }
    goals = [_goal("orders/s", result["capture"]["per_second"], ">=", GOAL_ORDERS_PER_S)]
    if promise is not None:
        result["promise"] = promise.summary()
        goals.append(_goal("promise calls/s", result["promise"]["per_second"], ">=", GOAL_PROMISES_PER_S))
        goals.append(
            _goal("promise p99 ms", result["promise"]["latency_ms"]["p99"], "<", GOAL_PROMISE_P99_MS)
        )
    result["goals"] = goals
    result["errors"] = sum(phase.errors for phase in (capture, promise, *(mixed or ())) if phase is not None)
    return result


def _commit() -> str:
    """The code measured: `git describe --dirty` of this checkout, "unknown" outside git."""
    try:
        command = ["git", "describe", "--always", "--dirty"]
        described = subprocess.run(
            command, check=False, capture_output=True, text=True, timeout=10, cwd=Path(__file__).parent
        )
    except OSError:
        return "unknown"
    return described.stdout.strip() or "unknown"


def _order_status(body: bytes) -> str:
    # The order's own status is the first "status" key of OrderPublic (lines come later); a byte search
    # costs the client far less than parsing 5,000 JSON bodies.
    start = body.find(b'"status":"') + len(b'"status":"')
    return body[start : body.index(b'"', start)].decode()


def _promise_outcome(body: bytes) -> str:
    return "some option available" if b'"available":true' in body else "no option available"


def _promise_unavailable(client: httpx.Client, body: dict) -> str | None:
    """Why the promise phase cannot run (the endpoint does not exist yet), or None."""
    response = client.post(PROMISE_PATH, json=body)
    if response.status_code in (404, 405):
        return f"POST {PROMISE_PATH} answers {response.status_code} (not deployed on this system)"
    return None


def _goal(name: str, value: float, op: str, target: float) -> dict:
    passed = value >= target if op == ">=" else value < target
    return {"name": name, "value": value, "goal": f"{op} {target:g}", "pass": passed}


def _loopback(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit(f"--url must be http://127.0.0.1:PORT (a local system), not {url}")
    return "127.0.0.1", parts.port or 80


def format_report(result: dict, label: str) -> str:
    header = f"== {label} == ({result['measured_at']}, commit {result['commit']}, {result['cpus']} CPUs)"
    out = [header, _format_phase(result["capture"], "orders/s")]
    if result["promise"]:
        out.append(_format_phase(result["promise"], "calls/s"))
    else:
        out.append(f"delivery promise: skipped: {result['promise_skipped']}")
    if result["mixed"]:
        out += ["promise while orders are captured:", _format_phase(result["mixed"]["capture"], "orders/s"),
                _format_phase(result["mixed"]["promise"], "calls/s")]  # fmt: skip
    out.append("goals:")
    for g in result["goals"]:
        out.append(
            f"  {g['name']:<16} {g['value']:>9} (goal {g['goal']:>7})  {'PASS' if g['pass'] else 'FAIL'}"
        )
    if result["errors"]:
        out.append(
            _loud(f"{result['errors']} REQUESTS FAILED (non-2xx or no response): figures are not valid")
        )
    return "\n".join(out)


def _format_phase(s: dict, unit: str) -> str:
    lat = s["latency_ms"]
    lines = [
        f"{s['name']}: {s['requests']} requests, {s['clients']} clients, {s['elapsed_s']} s",
        f"  {unit:<10} {s['per_second']}",
        f"  latency ms p50 {lat['p50']}  p95 {lat['p95']}  p99 {lat['p99']}  max {lat['max']}",
        "  statuses   " + ", ".join(f"{code}: {n}" for code, n in s["statuses"].items()),
        "  outcomes   " + ", ".join(f"{what}: {n}" for what, n in s["outcomes"].items()),
        f"  client CPU {s['client_cpu_s']} s ({s['client_cpu_pct_of_core']}% of one core)",
    ]
    if s["cores_used"]:
        used = ", ".join(f"{group} {cores}" for group, cores in s["cores_used"].items())
        lines.append(f"  cores used {used}  (of {os.cpu_count()})")
        if s["cores_used"]["other processes"] > BUSY_MACHINE_CORES:
            lines.append(
                "  WARNING: other processes competed for the CPU; these figures understate the system"
            )
    lines += [f"  ERROR {sample}" for sample in s["error_samples"]]
    return "\n".join(lines)


def _loud(message: str) -> str:
    bar = "!" * (len(message) + 8)
    return f"{bar}\n!!! {message} !!!\n{bar}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", help="a running system on 127.0.0.1 (default: start one)")
    p.add_argument("--api-key", help="with --url: a key allowed to capture orders on --channel")
    p.add_argument(
        "--workers", default="2", help="API workers of the started system; a list (1,2,3) compares"
    )
    p.add_argument("--clients", type=int, default=BenchConfig.clients, help="concurrent HTTP connections")
    p.add_argument("--orders", type=int, default=BenchConfig.orders, help="measured order captures")
    p.add_argument("--promises", type=int, default=BenchConfig.promises, help="measured promise calls")
    p.add_argument("--warmup", type=int, default=BenchConfig.warmup, help="unmeasured requests per phase")
    p.add_argument("--max-seconds", type=float, default=BenchConfig.max_seconds, help="time limit per phase")
    p.add_argument("--channel", default=BenchConfig.channel)
    p.add_argument(
        "--mixed-seconds",
        type=float,
        default=BenchConfig.mixed_seconds,
        help="how long to capture orders and ask for promises at once after the two phases (0 skips)",
    )
    p.add_argument(
        "--mixed-capture-clients",
        type=int,
        default=BenchConfig.mixed_capture_clients,
        help="of --clients, how many capture orders in that phase (the others ask for promises)",
    )
    p.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="environment of the started system, e.g. OMS_DB_POOL_SIZE=40 (repeatable)",
    )
    p.add_argument("--json", help="also write the report to this file")
    p.add_argument(
        "--profile",
        metavar="DIR",
        help="py-spy the API workers during each measured phase; stacks and summaries go to DIR",
    )
    args = p.parse_args(argv)
    if args.url and not args.api_key:
        p.error("--url needs --api-key")
    if args.clients < 1 or args.orders < 1 or args.promises < 1 or args.warmup < 0:
        p.error("--clients, --orders and --promises must be positive")
    if args.mixed_seconds < 0:
        p.error("--mixed-seconds must be 0 (skip) or more")
    if args.mixed_seconds and not 0 < args.mixed_capture_clients < args.clients:
        p.error("--mixed-capture-clients must be from 1 to --clients minus 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    config = BenchConfig(
        args.clients, args.orders, args.promises, args.warmup, args.max_seconds, args.channel,
        mixed_seconds=args.mixed_seconds, mixed_capture_clients=args.mixed_capture_clients,
    )  # fmt: skip
    results = {}
    if args.url:
        results[args.url] = bench(Target(args.url, args.api_key), config)
    else:
        from evals.perf.server import LocalSystem

        env = dict(setting.split("=", 1) for setting in args.server_env)
        for workers in [int(w) for w in args.workers.split(",")]:
            with LocalSystem(workers, env) as system:
                waited = system.settle()
                print("background jobs: start-up runs still busy after the wait; figures include them" if waited is None
                      else f"background jobs: start-up runs over after {waited:.0f} s")  # fmt: skip
                profiler = _profiler(system, args.profile, workers) if args.profile else None
                target = Target(system.url, system.api_key, system.cpu_roots(), profiler)
                label = " ".join([*args.server_env, f"oms run --workers {workers}"])
                results[label] = bench(target, config)
    for label, result in results.items():
        print("\n" + format_report(result, label))
    if len(results) > 1:
        print("\n" + _compare(results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)
    return 1 if any(r["errors"] for r in results.values()) else 0


def _profiler(system, directory: str, workers: int):
    from evals.perf.profile import PySpy

    return lambda phase: PySpy(system.worker_pids(), directory, tag=f"w{workers}-{phase.replace(' ', '-')}")


def _compare(results: dict) -> str:
    """Which workers setting did best: the most orders/s (promise calls/s breaks ties)."""

    def key(item):
        r = item[1]
        return (r["errors"] == 0, r["capture"]["per_second"], (r["promise"] or {}).get("per_second", 0))

    lines = ["== comparison =="]
    for label, r in results.items():
        p = r["promise"] or {"per_second": "-", "latency_ms": {"p99": "-"}}
        lines.append(
            f"  {label:<24} orders/s {r['capture']['per_second']:>7}  p99 {r['capture']['latency_ms']['p99']:>7} ms"
            f"   promise/s {p['per_second']:>7}  p99 {p['latency_ms']['p99']:>6} ms   errors {r['errors']}"
        )
    lines.append(f"  best: {max(results.items(), key=key)[0]}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
