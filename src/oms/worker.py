"""The worker process: periodic background jobs (webhook delivery, WMS release retries, SLA checks, retention).

`oms worker` runs it; `oms run` starts one next to the API workers and stops it with them. A job is a
plain function `(engine) -> int` (items processed) from oms.services, registered with one line in `JOBS`.
Each job runs on its own thread, again `interval` seconds after its previous run ended, so a slow job
never delays another, and one that raises is logged and simply runs again at its next interval. Several
worker processes may run at once: every job claims its rows with FOR UPDATE SKIP LOCKED or a lease, and
must be cheap when there is nothing to do.
"""

import logging
import os
import signal
import threading
from collections.abc import Callable
from typing import NamedTuple

from sqlalchemy import Engine

from oms.services.anomaly_scan import ScanSettings
from oms.services.channel_documents import send_due_documents
from oms.services.channel_edi_documents import send_ship_notices
from oms.services.channel_shopify_stock import push_stock
from oms.services.delay_risk_retraining import retrain_when_stale
from oms.services.fulfilment_sending import send_due_releases
from oms.services.import_run_job import run_queued
from oms.services.retention import prune
from oms.services.sla_check import check_sla
from oms.services.webhook_delivery import deliver_due
from oms.services.webhook_outbox import fan_out

log = logging.getLogger("oms.worker")


def scan_anomalies(engine: Engine) -> int:
    """The anomaly agent's scan (alerts raised and resolved); its LangGraph is loaded at its first run."""
    from agents.anomaly_run import scheduled_scan

    return scheduled_scan(engine)


def advise_routing(engine: Engine) -> int:
    """The routing advisor's run (1 when it proposed a change); its LangGraph is loaded at its first run."""
    from agents.routing_advisor_run import scheduled_advice

    return scheduled_advice(engine)


class Job(NamedTuple):
    name: str
    run: Callable[[Engine], int]
    interval: float  # seconds from the end of one run to the start of the next


JOBS: list[Job] = [
    Job("webhooks.fan_out", fan_out, 0.5),
    Job("webhooks.deliver", deliver_due, 0.5),
    Job("sla.check", check_sla, 60.0),
    Job("wms.send_releases", send_due_releases, 1.0),
    Job("channels.send_documents", send_due_documents, 1.0),
    Job("retention.prune", prune, 600.0),
    Job("edi.ship_notices", send_ship_notices, 5.0),
    Job("shopify.push_stock", push_stock, 30.0),
    Job("import_runs.run_queued", run_queued, 1.0),
    Job("anomalies.scan", scan_anomalies, ScanSettings().scan_minutes * 60),
    Job("ml.retrain_delay", retrain_when_stale, 3600.0),  # trains only once the model is a week old
    Job("routing.advise", advise_routing, 3600.0),  # advises once OMS_ROUTING_ADVISE_HOURS have passed
]


def run_job(job: Job, engine: Engine) -> int | None:
    """One run of `job`: the items it processed, or None when it raised (logged, never propagated)."""
    try:
        return job.run(engine)
    except Exception:
        log.exception("job %s failed; it runs again in %.1f s", job.name, job.interval)
        return None


def run_worker(engine: Engine, stop: threading.Event, jobs: list[Job] | None = None,
               parent_pid: int | None = None) -> None:  # fmt: skip
    """Run every job until `stop` is set (or, given `parent_pid`, until that process is gone); each
    job finishes the run under way before this returns."""
    threads = [
        threading.Thread(target=_loop, args=(job, engine, stop), name=f"job:{job.name}", daemon=True)
        for job in (JOBS if jobs is None else jobs)
    ]
    for thread in threads:
        thread.start()
    while not stop.wait(1.0):
        if parent_pid is not None and os.getppid() != parent_pid:  # the parent died without stopping us
            log.warning("parent process %d is gone; stopping", parent_pid)
            stop.set()
    for thread in threads:
        thread.join()


def _loop(job: Job, engine: Engine, stop: threading.Event) -> None:
    while not stop.is_set():
        run_job(job, engine)
        stop.wait(job.interval)


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT, so the worker ends its runs under way and exits cleanly."""
    stop = threading.Event()

    def handle(signum, frame) -> None:
        log.info("signal %d: stopping after the runs under way", signum)
        stop.set()

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return stop
