"""The worker as a real process (`oms worker`), killed with SIGKILL mid-delivery and started again: every
event still arrives, and an event seen twice carries the same id and body both times."""

import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.integration.test_webhook_delivery import SECRET, publish, statuses, subscribe
from tests.integration.webhook_receiver import Receiver

OMS = Path(sys.executable).parent / "oms"
SETTINGS = {"OMS_WEBHOOK_TIMEOUT_S": "2", "OMS_WEBHOOK_LEASE_S": "4", "OMS_WEBHOOK_RUN_BUDGET_S": "1",
            "OMS_WEBHOOK_RETRY_BASE_S": "0.1", "OMS_WEBHOOK_RETRY_CAP_S": "0.5"}  # fmt: skip


def start_worker(database_url: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, **SETTINGS}
    with open(log, "ab") as out:
        return subprocess.Popen([str(OMS), "worker"], env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for(condition, timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.mark.slow
def test_a_worker_killed_mid_delivery_loses_nothing_and_repeats_only_the_same_ids(engine, database_url, tmp_path):
    log = tmp_path / "worker.log"
    def slow(n: int, path: str) -> tuple[int, float]:
        return 200, 1.5 if n == 4 else 0.1  # the worker is killed while the 4th request waits for its answer

    with Receiver(slow) as receiver:
        subscribe(engine, receiver.url)
        published = publish(engine, 12)
        first = start_worker(database_url, log)
        try:
            wait_for(lambda: len(receiver.requests) >= 4, 60, "the first worker to be mid-delivery")
            first.send_signal(signal.SIGKILL)
            first.wait(10)
            in_flight_at_kill = receiver.requests[3].event_id
        finally:
            first.kill()
        second = start_worker(database_url, log)
        try:
            wait_for(lambda: statuses(engine) == {"delivered": 12}, 90, f"every delivery\n{log.read_text()}")
        finally:
            second.send_signal(signal.SIGTERM)
            assert second.wait(20) == 0

    arrivals = defaultdict(list)
    for request in receiver.requests:
        arrivals[request.event_id].append(request)
    assert set(arrivals) == set(published)  # nothing lost, nothing unknown
    assert len(arrivals[in_flight_at_kill]) >= 2  # sent again after the lease ran out
    for requests in arrivals.values():
        assert {r.body for r in requests} == {requests[0].body}
        assert {r.envelope["id"] for r in requests} == {requests[0].event_id}
    assert all(r.verifies(SECRET) for r in receiver.requests)
    assert list(dict.fromkeys(r.event_id for r in receiver.requests)) == published  # first arrivals in order
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar_one() == 0
