"""The worker's job that runs the queued bulk imports (oms.services.import_runs), one at a time.

`run_queued` claims a run (FOR UPDATE SKIP LOCKED and a lease a heartbeat renews, oms.services.leases)
and runs `import_orders` as the person who asked, as they are now: with a user's role of now, and
refused (nothing imported) once the user is disabled or the key revoked, however long the run waited. It
writes the rows done as it goes (at most every PROGRESS_EVERY_S, each in its own short transaction). The
run ends done, refused (errors in the file: nothing imported), interrupted (an order changed since
checked) or failed (an unexpected error), never stuck: a run whose worker died is taken up again once
its lease runs out, and one started MAX_ATTEMPTS times without ending is failed. The same file again
ends with its first outcome, as import_orders answers it.
"""

import logging
import time
import uuid
from dataclasses import dataclass, replace

from sqlalchemy import Connection, Engine, text

from oms.db.engine import dumps_json
from oms.services.actor import Actor, Role
from oms.services.errors import ServiceError
from oms.services.import_run_models import OPEN
from oms.services.leases import Heartbeat, claim_due
from oms.services.order_imports import import_orders
from oms.services.order_imports_models import (
    ImportInterrupted,
    ImportRefused,
    OrderImportCommand,
    OrderImportReport,
)
from oms.services.uow import UnitOfWork

LEASE_SECONDS = 30
PROGRESS_EVERY_S = 0.5
MAX_ATTEMPTS = 3
log = logging.getLogger(__name__)

_CLAIM = claim_due(
    "import_runs", due=f"{OPEN} AND (claimed_until IS NULL OR claimed_until < now())", order_by="id",
    claim="""status = 'checking', rows_done = 0, rows_total = NULL, attempts = t.attempts + 1,
             claimed_by = :worker, claimed_until = now() + make_interval(secs => :lease),
             started_at = coalesce(t.started_at, now())""",
    returning="t.id, t.attempts, t.channel_id, t.sheet, t.skip_invalid, t.content, t.actor, t.actor_role,"
              " t.actor_channel_id, t.on_behalf_of",
)  # fmt: skip
_RENEW = text(
    f"""
    UPDATE import_runs SET claimed_until = now() + make_interval(secs => :lease)
    WHERE id = :id AND claimed_by = :worker AND {OPEN}
    """
)
_PROGRESS = text(
    """
    UPDATE import_runs SET status = 'importing', rows_done = :done, rows_total = :total
    WHERE id = :id AND claimed_by = :worker
    """
)
_FINISH = text(
    """
    UPDATE import_runs
    SET status = :status, report = CAST(:report AS jsonb), message = :message, content = NULL,
        finished_at = now(), claimed_by = NULL, claimed_until = NULL,
        rows_total = coalesce(rows_total, :rows),
        rows_done = coalesce(CAST(:rows_done AS integer), CASE WHEN :done THEN :rows ELSE rows_done END)
    WHERE id = :id AND claimed_by = :worker
    RETURNING id
    """
)

# Who asked, as they are now (_as_they_are_now).
_USER_NOW = text("SELECT role, channel_id, disabled FROM users WHERE name = :name")
_KEY_NOW = text(
    """
    SELECT bool_or(revoked_at IS NULL) FROM api_keys
    WHERE name = :name AND role = :role AND channel_id IS NOT DISTINCT FROM CAST(:channel AS text)
    """
)
ASKER_GONE = ("nothing was imported: the person who started it may no longer import (their user was disabled or"
              " their key revoked since); someone who may import can start it again")  # fmt: skip


class LeaseLost(Exception):
    """Another worker took the run over (this one stalled past its lease): it stops, the other finishes."""


@dataclass(frozen=True)
class _Claimed:
    id: int
    attempts: int
    worker: str
    queued_by: Actor
    asker: Actor | None  # queued_by as they are now; None once the user is disabled or the key revoked
    cmd: OrderImportCommand
    content: bytes


@dataclass(frozen=True)
class _Outcome:
    status: str
    report: OrderImportReport | None = None
    message: str | None = None


def run_queued(engine: Engine) -> int:
    """The worker's job: claim one open run (queued, or left by a dead worker) and run it; how many ran."""
    run = _claim(engine)
    if run is None:
        return 0
    if run.attempts > MAX_ATTEMPTS:
        message = (f"the run was started {MAX_ATTEMPTS} times and its worker stopped each time (out of memory?):"
                   " split the file, or import it with `oms orders import`")  # fmt: skip
        _finish(engine, run, _Outcome("failed", message=message))
        return 1
    if run.asker is None:
        _finish(engine, run, _Outcome("refused", message=ASKER_GONE))
        return 1
    with Heartbeat(lambda: _renew(engine, run), every=LEASE_SECONDS / 3) as heartbeat:
        progress = _Progress(engine, run, heartbeat)
        try:
            outcome = _import(run, progress)
        except LeaseLost:
            log.warning("import run %s was taken over by another worker", run.id)
            return 1
    _finish(engine, run, outcome, rows_done=progress.done)
    return 1


def _claim(engine: Engine) -> _Claimed | None:
    worker = uuid.uuid4().hex  # this claim's own: a run taken over is no longer this worker's
    with engine.begin() as conn:
        row = conn.execute(_CLAIM, {"worker": worker, "lease": LEASE_SECONDS, "batch": 1}).first()
        if row is None:
            return None
        asker = Actor(name=row.actor, role=Role(row.actor_role), channel_id=row.actor_channel_id,
                      on_behalf_of=row.on_behalf_of)  # fmt: skip
        asker_now = _as_they_are_now(conn, asker)
    cmd = OrderImportCommand(channel=row.channel_id, sheet=row.sheet, skip_invalid=row.skip_invalid)
    return _Claimed(row.id, row.attempts, worker, asker, asker_now, cmd, bytes(row.content))


def _as_they_are_now(conn: Connection, asker: Actor) -> Actor | None:
    """Who asked, as they are now (a run may wait long for a worker): a user with their role of now, None
    once the user is disabled or every key of that name, role and channel revoked. An actor that is no
    user and no key (the command line, a seeded system) acts as queued."""
    if asker.name.startswith("user:"):
        user = conn.execute(_USER_NOW, {"name": asker.name.removeprefix("user:")}).first()
        if user is not None:
            return None if user.disabled else replace(asker, role=Role(user.role), channel_id=user.channel_id)
    params = {"name": asker.name, "role": asker.role.value, "channel": asker.channel_id}
    return None if conn.execute(_KEY_NOW, params).scalar() is False else asker


def _import(run: _Claimed, progress: "_Progress") -> _Outcome:
    """Run the import as the person who asked; its outcome, whatever happens."""
    try:
        report = import_orders(UnitOfWork(progress.engine), run.asker, run.cmd, run.content, progress)
    except ImportRefused as refused:
        return _Outcome("refused", refused.report, refused.detail)
    except ImportInterrupted as interrupted:
        return _Outcome("interrupted", interrupted.report, interrupted.detail)
    except ServiceError as refused:  # an unreadable file, a channel gone, a permission since taken away
        return _Outcome("refused", message=refused.detail)
    except LeaseLost:
        raise
    except Exception as error:
        log.exception("import run %s failed", run.id)
        return _Outcome("failed", message=f"an unexpected error stopped the import ({type(error).__name__});"
                                          " the orders it captured stay: import the same file again to finish")
    return _Outcome("done", report)


class _Progress:
    """import_orders' progress callback: the rows captured written at most every PROGRESS_EVERY_S (when
    capture starts and once every row is in, always), each in its own short transaction; raises LeaseLost
    once the run is another's. `done`: the rows captured when last called (None if never), which the end
    of the run writes whether or not it was written then."""

    def __init__(self, engine: Engine, run: _Claimed, heartbeat: Heartbeat):
        self.engine, self.run, self.heartbeat = engine, run, heartbeat
        self.written_at = 0.0
        self.done: int | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.heartbeat.lost.is_set():
            raise LeaseLost
        self.done = done
        now = time.monotonic()
        if 0 < done < total and now - self.written_at < PROGRESS_EVERY_S:
            return
        self.written_at = now
        self.write(done, total)

    def write(self, done: int, total: int) -> None:
        with self.engine.begin() as conn:
            params = {"id": self.run.id, "worker": self.run.worker, "done": done, "total": total}
            if conn.execute(_PROGRESS, params).rowcount == 0:
                raise LeaseLost


def _renew(engine: Engine, run: _Claimed) -> bool:
    with engine.begin() as conn:
        params = {"id": run.id, "worker": run.worker, "lease": LEASE_SECONDS}
        return conn.execute(_RENEW, params).rowcount == 1


def _finish(engine: Engine, run: _Claimed, outcome: _Outcome, rows_done: int | None = None) -> None:
    """End the run; `rows_done` the rows captured, if capture started (else all the file's rows when it
    ends done: the outcome of an earlier import of it, and none otherwise)."""
    report = outcome.report.model_dump(mode="json") if outcome.report else None
    params = {"id": run.id, "worker": run.worker, "status": outcome.status, "done": outcome.status == "done",
              "message": outcome.message, "rows_done": rows_done,
              "report": dumps_json(report) if report else None, "rows": report["rows"] if report else None}
    counts = {k: report[k] for k in ("created", "replayed", "rejected", "error_count", "payload_id")} if report else {}
    with UnitOfWork(engine) as uow:
        if uow.conn.execute(_FINISH, params).first() is None:
            return  # taken over meanwhile: the other worker ends it
        uow.record(run.asker or run.queued_by, f"order_import_run.{outcome.status}", "import_run", run.id,
                   after={"status": outcome.status, **counts})  # fmt: skip
        uow.commit()
