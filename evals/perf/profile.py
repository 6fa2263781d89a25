"""Where an API worker's time goes during a benchmark phase, sampled with py-spy (not a project
dependency: `.venv/bin/pip install py-spy`).

Two recordings per worker, both `--nonblocking` so the workers are never paused:
- `--gil`: samples of the thread holding the GIL, i.e. the Python CPU a worker spends. A worker runs
  one Python thread at a time, so this is the budget that caps a worker's throughput.
- `--idle`: every thread at every sample, i.e. wall time, including threads blocked on PostgreSQL.
Each sample is charged to the innermost frame that belongs to a known layer (see LAYERS), so a
pydantic call made by FastAPI counts as pydantic and a psycopg call made by SQLAlchemy as the driver.
"""

import shutil
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Self

IDLE = "event loop, thread pool (idle, or uvloop C code)"
# (layer, substrings of a py-spy frame "function (path/file.py:line)"). A sample is charged to the layer
# of its innermost matching frame; within one frame the first layer listed wins.
LAYERS = [
    ("waiting on PostgreSQL (queries, row locks, commit)", ("Connection.wait (psycopg/", "(psycopg/waiting.py")),
    ("waiting for a pooled DB connection", ("(sqlalchemy/util/queue.py",)),
    (IDLE, ("Queue.get (queue.py", "Runner.run (asyncio/runners.py", "_run_once (asyncio/base_events.py",
            "(multiprocessing/connection.py")),
    ("psycopg driver (adapt, send, parse rows)", ("(psycopg/", "(psycopg_c/", "(psycopg_binary/")),
    ("SQLAlchemy (compile, execute, result rows)", ("(sqlalchemy/",)),
    ("pydantic (validate, serialise)", ("(pydantic/", "(pydantic_core/")),
    ("JSON encoding (json, orjson)", ("(json/", "orjson")),
    ("auth (API key check)", ("(oms/services/api_keys.py", "(fastapi/security/")),
    ("FastAPI (routing, dependencies, encoders)", ("(fastapi/",)),
    ("HTTP server (uvicorn, starlette, anyio, asyncio)", ("(uvicorn/", "(starlette/", "(anyio/", "(asyncio/")),
    ("OMS services and domain", ("(oms/",)),
]  # fmt: skip
OTHER = "other (stdlib, C extensions)"


class PySpy:
    """Context manager: samples `pids` while the block runs, writes raw stacks and a summary to `directory`."""

    def __init__(self, pids: list[int], directory: str, tag: str, rate: int = 100):
        if shutil.which("py-spy") is None:
            raise SystemExit("--profile needs py-spy: .venv/bin/pip install py-spy")
        self.pids, self.rate = pids, rate
        self.directory = Path(directory)
        self.tag = tag
        self.procs: list[subprocess.Popen] = []
        self.started = 0.0

    def _path(self, pid: int, mode: str) -> Path:
        return self.directory / f"{self.tag}-{pid}-{mode}.txt"

    def __enter__(self) -> Self:
        self.directory.mkdir(parents=True, exist_ok=True)
        for pid in self.pids:
            for mode in ("gil", "idle"):
                cmd = ["py-spy", "record", "--pid", str(pid), "--rate", str(self.rate), "--format", "raw",
                       "--nonblocking", f"--{mode}", "--output", str(self._path(pid, mode))]  # fmt: skip
                self.procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        self.started = time.monotonic()
        return self

    def __exit__(self, *exc) -> None:
        seconds = time.monotonic() - self.started
        for proc in self.procs:
            proc.send_signal(signal.SIGINT)  # py-spy writes its output on Ctrl-C
        for proc in self.procs:
            proc.wait(timeout=30)
        gil = summarize([self._path(pid, "gil") for pid in self.pids], "CPU (GIL held)")
        # A worker can hold its GIL at most 100% of the time: near that, Python in the worker is the
        # ceiling; far below, the worker waits (on PostgreSQL, on the CPU, or for requests).
        held = 100 * gil.total / (self.rate * seconds * len(self.pids))
        wall = summarize([self._path(pid, "idle") for pid in self.pids], "wall time of busy threads", IDLE)
        summary = f"GIL held {held:.0f}% of the time per worker ({seconds:.1f} s)\n{gil}\n\n{wall}"
        (self.directory / f"{self.tag}-summary.txt").write_text(summary + "\n")
        print(summary)


@dataclass
class Summary:
    total: int
    text: str

    def __str__(self) -> str:
        return self.text


def summarize(files: list[Path], title: str, leave_out: str | None = None, top: int = 12) -> Summary:
    """Samples per layer, then the OMS functions and the library entry points with the most samples
    under them (inclusive: a function's share counts everything it called). Samples of the
    `leave_out` layer (idle threads, in the wall-time view) are counted but not in the shares."""
    layers: Counter = Counter()
    inclusive: Counter = Counter()
    left_out = 0
    for path in files:
        for stack, count in _stacks(path):
            layer = _layer(stack)
            if layer == leave_out:
                left_out += count
                continue
            layers[layer] += count
            for frame in {_function(f) for f in stack}:
                inclusive[frame] += count
    total = sum(layers.values())
    if not total:
        return Summary(0, f"{title}: no samples")
    lines = [f"{title}: {total} samples, by layer (innermost known frame)"]
    if leave_out:
        lines[0] += f"; {left_out} samples of idle threads left out"
    lines += [f"  {100 * n / total:5.1f}%  {layer}" for layer, n in layers.most_common()]
    for heading, keep in (("OMS functions", _is_oms), ("library functions", _is_library_entry)):
        lines.append(f"{title}: {heading}, inclusive")
        ranked = [(f, n) for f, n in inclusive.most_common() if keep(f)][:top]
        lines += [f"  {100 * n / total:5.1f}%  {frame}" for frame, n in ranked]
    return Summary(total, "\n".join(lines))


def _stacks(path: Path):
    """(frames root first, count) from py-spy's raw (collapsed) format: `f1;f2;f3 count`. A frame name
    holding a line break (seen from docstrings run as code) splits its stack over lines: skipped."""
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            yield stack.split(";"), int(count)


def _layer(stack: list[str]) -> str:
    for frame in reversed(stack):
        for layer, markers in LAYERS:
            if any(m in frame for m in markers):
                return layer
    return OTHER


def _function(frame: str) -> str:
    """`f (path/file.py:12)` -> `f (path/file.py)`: one entry per function, not per line."""
    return frame.rsplit(":", 1)[0] + ")" if frame.endswith(")") and ":" in frame else frame


def _is_oms(frame: str) -> bool:
    return "(oms/" in frame


def _is_library_entry(frame: str) -> bool:
    """The library calls a request handler makes, not the plumbing on every stack."""
    return any(m in frame for m in LIBRARY_ENTRIES)


# Library functions whose inclusive share answers "how much does this layer cost per request".
LIBRARY_ENTRIES = (
    "Connection.execute (sqlalchemy/engine/base.py", "Connection.commit (sqlalchemy/engine/base.py",
    "Cursor.execute (psycopg/cursor.py", "solve_dependencies (fastapi/dependencies/utils.py",
    "serialize_response (fastapi/routing.py", "_validate_request_body (fastapi/routing.py",
    "request_body_to_args (fastapi/dependencies/utils.py", "jsonable_encoder (fastapi/encoders.py",
    "BaseModel.model_validate (pydantic/main.py", "BaseModel.model_dump (pydantic/main.py",
    "BaseModel.model_dump_json (pydantic/main.py", "JSONResponse.render (starlette/responses.py",
    "Request.body (starlette/requests.py", "Request.json (starlette/requests.py",
    "run_in_threadpool (starlette/concurrency.py", "QueuePool._do_get (sqlalchemy/pool/impl.py",
    "_ConnectionFairy._checkout (sqlalchemy/pool/base.py", "RequestResponseCycle.run_asgi (uvicorn/",
    "HttpToolsProtocol.data_received (uvicorn/",
)  # fmt: skip
