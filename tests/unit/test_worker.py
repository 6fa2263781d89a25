"""The worker's loop, without a database: jobs are independent, and the worker stops when asked."""

import threading
import time

from oms.worker import Job, run_job, run_worker


def test_a_job_that_raises_is_logged_and_returns_none(caplog):
    def broken(engine):
        raise RuntimeError("boom")

    assert run_job(Job("broken", broken, 1.0), engine=None) is None
    assert "job broken failed" in caplog.text and "boom" in caplog.text


def test_a_failing_job_does_not_stop_the_others_and_runs_again_at_its_interval():
    runs = {"good": 0, "broken": 0}

    def good(engine):
        runs["good"] += 1
        return 1

    def broken(engine):
        runs["broken"] += 1
        raise RuntimeError("boom")

    stop = threading.Event()
    worker = threading.Thread(
        target=run_worker, args=(None, stop, [Job("good", good, 0.01), Job("broken", broken, 0.01)])
    )
    worker.start()
    time.sleep(0.3)
    stop.set()
    worker.join(5)

    assert not worker.is_alive()
    assert runs["good"] >= 3 and runs["broken"] >= 3


def test_a_slow_job_does_not_delay_a_fast_one():
    fast_runs = []
    release = threading.Event()

    def slow(engine):
        release.wait(5)
        return 0

    def fast(engine):
        fast_runs.append(time.monotonic())
        return 0

    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(None, stop, [Job("slow", slow, 0.01), Job("fast", fast, 0.01)]))
    worker.start()
    time.sleep(0.3)
    assert len(fast_runs) >= 3  # while the slow job is still in its first run
    stop.set()
    release.set()
    worker.join(5)
    assert not worker.is_alive()


def test_the_worker_stops_when_its_parent_is_gone():
    stop = threading.Event()
    worker = threading.Thread(target=run_worker, args=(None, stop, [], -1))  # no process has pid -1
    worker.start()
    worker.join(5)
    assert not worker.is_alive() and stop.is_set()
