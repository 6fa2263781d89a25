"""Start the whole system the way a user does (`oms run`) in a throw-away data folder, and stop it fully.

`oms run` with no DATABASE_URL starts an embedded PostgreSQL in OMS_DATA_DIR, migrates, seeds the demo
data and serves the API with N uvicorn workers. It runs in its own process group so that stopping it
reaches the uvicorn supervisor and every worker; PostgreSQL is stopped by `oms run`'s exit hook, and
if it is still there afterwards (the supervisor was killed), by its postmaster pid.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

import httpx

from evals.perf.cpu import CpuMeter

START_TIMEOUT_S = 300.0  # initdb, migrations and demo seeding on a fresh folder
SETTLE_TIMEOUT_S = 180.0
QUIET_CORES, QUIET_SECONDS = 0.05, 3
STOP_TIMEOUT_S = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalSystem:
    """`with LocalSystem(workers=2) as system:` gives `system.url` and `system.api_key` (an admin key)."""

    def __init__(self, workers: int, env: dict[str, str] | None = None, log=print):
        self.workers = workers
        self.extra_env = env or {}  # e.g. OMS_DB_POOL_SIZE, to measure a setting before proposing it
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_key = "bench-" + secrets.token_urlsafe(18)
        self.data_dir = Path(tempfile.mkdtemp(prefix="oms-bench-"))
        self.proc: subprocess.Popen | None = None
        self._output = self.data_dir / "oms-run.log"

    def __enter__(self) -> Self:
        env = {**os.environ, "OMS_DATA_DIR": str(self.data_dir), "OMS_ADMIN_API_KEY": self.api_key}
        env.pop("DATABASE_URL", None)  # always the embedded database, fresh
        env.update(self.extra_env)
        cmd = [sys.executable, "-m", "oms.cli", "run", "--host", "127.0.0.1", "--port", str(self.port)]
        cmd += ["--workers", str(self.workers)]
        settings = "".join(f"{k}={v} " for k, v in self.extra_env.items())
        self.log(f"starting: {settings}oms run --workers {self.workers} (data in {self.data_dir})")
        with open(self._output, "wb") as out:
            # cwd is the data folder so a developer's .env (which may name a DATABASE_URL) is not read.
            self.proc = subprocess.Popen(
                cmd, env=env, cwd=self.data_dir, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.proc is not None and self.proc.poll() is None:
                self._stop_group()
            self._stop_leftover_postgres()
        finally:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def worker_pids(self) -> list[int]:
        """The processes serving requests, for profiling: uvicorn's spawned workers, or with one worker
        `oms run` itself (uvicorn then serves in-process)."""
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        return [int(pid) for pid in children if "spawn_main" in _cmdline(int(pid))] or [self.proc.pid]

    def cpu_roots(self) -> dict[str, int]:
        """Process trees for CpuMeter: `oms run` with its uvicorn workers, its background worker (the
        periodic jobs, apart: their start-up runs take seconds of CPU), and the embedded PostgreSQL (which
        pg_ctl detaches from us, so it is found by its postmaster pid)."""
        roots = {"API (oms run, uvicorn workers)": self.proc.pid}
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        if jobs := [int(pid) for pid in children if "oms.cli worker" in _cmdline(int(pid))]:
            roots["background jobs"] = jobs[0]
        if postmaster := self._postmaster_pid():
            roots["PostgreSQL"] = postmaster
        return roots

    def settle(self) -> float | None:
        """Wait until the background jobs' start-up runs are over: the anomaly scan (loading scikit-learn,
        scoring open shipments) and the routing advisor (learning from months of deliveries) take seconds
        of CPU when `oms run` starts, which a running system spends every few minutes or once a day, not
        all through an order peak. Over when the jobs use under QUIET_CORES for QUIET_SECONDS in a row;
        returns the seconds waited, or None at SETTLE_TIMEOUT_S (or without a background worker)."""
        jobs = self.cpu_roots().get("background jobs")
        if jobs is None:
            return None
        started, quiet = time.monotonic(), 0
        while quiet < QUIET_SECONDS:
            if time.monotonic() - started > SETTLE_TIMEOUT_S:
                return None
            with CpuMeter({"jobs": jobs}) as meter:
                time.sleep(1.0)
            quiet = quiet + 1 if meter.cores_used()["jobs"] < QUIET_CORES else 0
        return time.monotonic() - started

    def _postmaster_pid(self) -> int | None:
        try:
            return int((self.data_dir / "pgdata" / "postmaster.pid").read_text().split()[0])
        except (FileNotFoundError, IndexError, ValueError):
            return None  # not started yet, or stopped cleanly (PostgreSQL removes the file)

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"oms run exited with {self.proc.returncode}:\n{self._tail()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"oms run not healthy after {START_TIMEOUT_S:.0f} s:\n{self._tail()}")

    def _stop_group(self) -> None:
        # SIGINT, as Ctrl-C in a terminal: uvicorn stops its workers, then `oms run` exits through
        # KeyboardInterrupt and its pgserver exit hook stops PostgreSQL. (After SIGTERM uvicorn re-raises
        # the signal once shut down, which with --workers 1 kills the process before exit hooks run.)
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.log("oms run did not stop on SIGINT; killing its process group")
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(STOP_TIMEOUT_S)

    def _stop_leftover_postgres(self) -> None:
        pid = self._postmaster_pid()
        # The pid file may outlive a crash; only a live process serving our folder is ours to stop.
        if pid is None or not _alive(pid) or str(self.data_dir) not in _cmdline(pid):
            return
        self.log(f"embedded PostgreSQL (pid {pid}) still running; stopping it")
        os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown: ends sessions, then exits
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)

    def _tail(self, lines: int = 30) -> str:
        return "\n".join(self._output.read_text(errors="replace").splitlines()[-lines:])


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has exited; only its parent has not collected it yet


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""
