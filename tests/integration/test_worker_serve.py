"""`oms run` starts the background worker next to the API, starts it again if it dies, and stops it with
the API: on SIGTERM, on Ctrl-C (SIGINT to the process group), and even when `oms run` itself is killed (no
orphan is left)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.integration.conftest import _free_port

OMS = Path(sys.executable).parent / "oms"


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1] != "Z"
    except FileNotFoundError:
        return False


def worker_of(pid: int) -> int | None:
    """The live worker child of `pid`, if any."""
    # per thread: a restarted worker is the child of the thread that watches it
    children = [c for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]
    workers = [int(c) for c in children if alive(int(c)) and b"worker" in Path(f"/proc/{c}/cmdline").read_bytes()]
    assert len(workers) <= 1, children
    return workers[0] if workers else None


def wait_until(condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def start_oms_run(database_url: str) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url}
    cmd = [str(OMS), "run", "--no-demo", "--workers", "1", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, start_new_session=True)

    def healthy() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    assert wait_until(healthy, 60), "oms run did not start"
    assert wait_until(lambda: worker_of(proc.pid), 10), "no worker"
    return proc, worker_of(proc.pid)


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["sigterm", "ctrl-c", "sigkill"])
def test_oms_run_starts_the_worker_and_it_stops_with_it(engine, database_url, stop):
    proc, worker = start_oms_run(database_url)
    try:
        assert alive(worker)
        if stop == "sigterm":
            proc.send_signal(signal.SIGTERM)
        elif stop == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert wait_until(lambda: not alive(worker), 10), "the worker outlived oms run"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        if alive(worker):
            os.kill(worker, signal.SIGKILL)


@pytest.mark.slow
def test_a_worker_that_dies_is_started_again(engine, database_url):
    proc, worker = start_oms_run(database_url)
    try:
        os.kill(worker, signal.SIGKILL)
        assert wait_until(lambda: worker_of(proc.pid) not in (None, worker), 15), "no new worker"
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(30)


def niceness(pid: int) -> set[int]:
    """The nice values of the threads of `pid` (Linux keeps one per thread)."""
    return {int(Path(task, "stat").read_text().rsplit(") ", 1)[1].split()[16])
            for task in Path(f"/proc/{pid}/task").iterdir()}  # fmt: skip


@pytest.mark.slow
def test_the_worker_runs_at_a_lower_cpu_priority_than_the_api(engine, database_url):
    proc, worker = start_oms_run(database_url)
    try:
        assert niceness(proc.pid) == {0}
        assert niceness(worker) == {10}  # every job thread too
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(30)
