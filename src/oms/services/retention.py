"""Retention: published events and finished webhook deliveries older than `OMS_RETENTION_DAYS` are
deleted, so the outbox and the delivery history stop growing with every order captured.

The audit trail is never pruned (it is the record of who did what), nor is anything still owed to a
subscriber: a pending delivery keeps its event however old it is. Dead letters are kept as long as
delivered ones, which is the window ops have to replay them. Deletes go in batches, oldest first, within
a time budget per run, so a backlog after a long stop is worked off over a few runs without holding
locks for long.
"""

import time

from sqlalchemy import Engine, text

from oms.services.actor import SYSTEM
from oms.services.uow import UnitOfWork
from oms.settings import get_settings

BATCH = 5000
RUN_BUDGET_S = 5.0

# Ids grow with time, so the oldest rows come first on the primary key and the scan stops at the first
# row inside the window.
_DELIVERIES = text(
    """
    WITH old AS (
      SELECT id FROM webhook_deliveries
      WHERE status IN ('delivered', 'dead') AND coalesce(last_attempt_at, created_at) < :cutoff
      ORDER BY id LIMIT :batch FOR UPDATE SKIP LOCKED)
    DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM old)
    """
)
_EVENTS = text(
    """
    WITH old AS (
      SELECT o.id FROM outbox o
      WHERE o.published_at < :cutoff
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.outbox_id = o.id)
      ORDER BY o.id LIMIT :batch FOR UPDATE SKIP LOCKED)
    DELETE FROM outbox WHERE id IN (SELECT id FROM old)
    """
)


def prune(engine: Engine, days: float | None = None, batch: int = BATCH) -> int:
    """Delete what is past retention (deliveries first: their events go once none refers to them); how
    many rows. One audit event per run that deleted anything says how many and up to when."""
    days = get_settings().retention_days if days is None else days
    deadline = time.monotonic() + RUN_BUDGET_S
    counts = {"webhook_deliveries": 0, "outbox": 0}
    with UnitOfWork(engine).reading() as uow:  # the database's clock, as every row's timestamp
        cutoff = uow.conn.execute(text("SELECT now() - make_interval(secs => :s)"), {"s": days * 86400}).scalar_one()
    for table, statement in (("webhook_deliveries", _DELIVERIES), ("outbox", _EVENTS)):
        while time.monotonic() < deadline:
            with UnitOfWork(engine).autocommit() as uow:
                deleted = uow.conn.execute(statement, {"cutoff": cutoff, "batch": batch}).rowcount
            counts[table] += deleted
            if deleted < batch:
                break
    if any(counts.values()):
        with UnitOfWork(engine) as uow:
            uow.record(SYSTEM, "retention.pruned", "retention", "outbox",
                       after={"deleted": counts, "older_than": cutoff.isoformat()})  # fmt: skip
            uow.commit()
    return sum(counts.values())
