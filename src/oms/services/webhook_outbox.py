"""Fan-out of the transactional outbox into webhook deliveries: a worker job.

Each outbox message (written in the transaction of the change it reports, see oms.services.uow) becomes
one delivery per enabled subscription that asks for its type, and is then marked published, all in one
statement: a worker that dies half-way leaves the whole batch unpublished, and the unique (event,
subscription) key makes a repeated fan-out add nothing. With no matching subscription the same statement
just marks the batch published. Several workers take disjoint batches (FOR UPDATE SKIP LOCKED).
"""

import time

from sqlalchemy import Engine, text

from oms.services.uow import UnitOfWork

BATCH = 2000
RUN_BUDGET_S = 5.0  # a backlog is drained batch after batch, for at most this long per run

_FAN_OUT = text("""
    WITH batch AS (
      SELECT id, event_type FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT :batch
      FOR UPDATE SKIP LOCKED),
    fanned AS (
      INSERT INTO webhook_deliveries (outbox_id, subscription_id)
      SELECT b.id, s.id FROM batch b
      JOIN webhook_subscriptions s ON s.enabled AND s.event_types && ARRAY[b.event_type::text, '*']
      ORDER BY b.id, s.id
      ON CONFLICT ON CONSTRAINT uq_webhook_deliveries_event_subscription DO NOTHING),
    published AS (  -- by primary key: a join would hash the whole (ever growing) outbox
      UPDATE outbox SET published_at = now() WHERE id = ANY(ARRAY(SELECT id FROM batch)) RETURNING 1)
    SELECT count(*) FROM published
""")


def fan_out(engine: Engine, batch: int = BATCH) -> int:
    """Fan out unpublished outbox messages, a batch at a time while batches come full; how many."""
    total, deadline = 0, time.monotonic() + RUN_BUDGET_S
    while True:
        with UnitOfWork(engine).autocommit() as uow:
            published = uow.conn.execute(_FAN_OUT, {"batch": batch}).scalar_one()
        total += published
        if published < batch or time.monotonic() > deadline:
            return total
