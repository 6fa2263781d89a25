"""Closed-loop load: N clients, each on its own keep-alive connection, send the next pre-encoded request
as soon as the previous answer arrives, until the requests run out or the time limit passes.

A phase measures throughput (responses per second of wall time), per-request latency from write to last
body byte (`time.perf_counter`), every status code, and the client's own CPU time, so a reader can see
how much of the 2 cores the load generator took from the server.
"""

import asyncio
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from evals.perf.http_client import HttpConnection, ProtocolError

# Status recorded for a request that got no HTTP answer (connection reset, unparseable response).
NO_RESPONSE = 0
_KEPT_ERROR_SAMPLES = 5


@dataclass
class PhaseResult:
    name: str
    clients: int
    elapsed_s: float
    client_cpu_s: float
    latencies_s: list[float]
    statuses: Counter
    error_samples: list[str] = field(default_factory=list)
    # What `inspect` made of the 2xx bodies (e.g. order status counts).
    outcomes: Counter = field(default_factory=Counter)
    # Average cores used per process group while the phase ran (see evals.perf.cpu), when measured.
    cores_used: dict[str, float] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return len(self.latencies_s)

    @property
    def errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)

    def summary(self) -> dict:
        """Figures for the report, latencies in milliseconds."""
        ordered = sorted(self.latencies_s)
        return {
            "name": self.name,
            "clients": self.clients,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": {str(status): n for status, n in sorted(self.statuses.items())},
            "elapsed_s": round(self.elapsed_s, 3),
            "per_second": round(self.requests / self.elapsed_s, 1),
            "latency_ms": {
                name: round(percentile(ordered, q) * 1000, 2)
                for name, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))
            },
            "client_cpu_s": round(self.client_cpu_s, 2),
            # Share of one core the load generator used while the phase ran.
            "client_cpu_pct_of_core": round(100 * self.client_cpu_s / self.elapsed_s, 1),
            "outcomes": dict(self.outcomes.most_common()),
            "cores_used": self.cores_used,
            "error_samples": self.error_samples,
        }


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an already sorted sequence (0.0 when empty)."""
    if not ordered:
        return 0.0
    rank = max(1, -(-len(ordered) * q // 100))  # ceil(n * q / 100), at least the first value
    return ordered[int(rank) - 1]


async def run_phase(
    name: str,
    host: str,
    port: int,
    requests: Sequence[bytes],
    clients: int,
    max_seconds: float,
    inspect: Callable[[bytes], str] | None = None,
) -> PhaseResult:
    """Send each of `requests` once (in order, shared by `clients` connections) or stop at `max_seconds`.
    `inspect` turns a 2xx body into an outcome label to count; it runs on the client's CPU, keep it cheap."""
    connections = [HttpConnection(host, port) for _ in range(clients)]
    # Connect before the clock starts: the figures are for keep-alive clients, not TCP handshakes.
    await asyncio.gather(*(c.open() for c in connections))
    latencies: list[float] = []
    statuses: Counter = Counter()
    outcomes: Counter = Counter()
    samples: list[str] = []
    next_index = iter(range(len(requests)))
    deadline = time.perf_counter() + max_seconds

    async def client(connection: HttpConnection) -> None:
        for index in next_index:  # the iterator is shared: each request is taken by one client
            if time.perf_counter() > deadline:
                return
            started = time.perf_counter()
            try:
                status, body = await connection.request(requests[index])
            except ProtocolError as exc:
                status, body = NO_RESPONSE, str(exc).encode()
            latencies.append(time.perf_counter() - started)
            statuses[status] += 1
            if 200 <= status < 300:
                if inspect is not None:
                    outcomes[inspect(body)] += 1
            elif len(samples) < _KEPT_ERROR_SAMPLES:
                samples.append(f"{status}: {body[:300].decode(errors='replace')}")

    cpu_before, started = time.process_time(), time.perf_counter()
    try:
        await asyncio.gather(*(client(c) for c in connections))
    finally:
        for c in connections:
            c.close()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_before
    return PhaseResult(name, clients, elapsed, cpu, latencies, statuses, samples, outcomes)
