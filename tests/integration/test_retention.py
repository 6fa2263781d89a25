"""Retention of the outbox and the webhook delivery history: what is past the window and finished goes,
what is recent, unpublished or still owed to a subscriber stays, and the audit trail is never touched."""

from sqlalchemy import text

from oms.services.retention import prune
from oms.services.webhook_outbox import fan_out
from tests.integration.test_webhook_delivery import publish, subscribe


def age(engine, event_ids: list[str], days: int, status: str | None = None) -> None:
    """Make the events (and their deliveries, set to `status`) look `days` old."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET created_at = now() - make_interval(days => :d),"
                          " published_at = now() - make_interval(days => :d) WHERE event_id::text = ANY(:ids)"),
                     {"d": days, "ids": event_ids})  # fmt: skip
        if status:
            conn.execute(text("UPDATE webhook_deliveries d SET status = :s, created_at = o.created_at,"
                              " last_attempt_at = o.created_at FROM outbox o"
                              " WHERE o.id = d.outbox_id AND o.event_id::text = ANY(:ids)"),
                         {"s": status, "ids": event_ids})  # fmt: skip


def left(engine) -> tuple[int, int, int]:
    """(outbox messages, webhook deliveries, audit events)."""
    with engine.connect() as conn:
        return conn.execute(text("SELECT (SELECT count(*) FROM outbox), (SELECT count(*) FROM webhook_deliveries),"
                                 " (SELECT count(*) FROM audit_events)")).one()  # fmt: skip


def test_old_finished_events_go_and_everything_still_owed_or_recent_stays(engine):
    subscribe(engine, "http://127.0.0.1:9/hook")
    delivered, dead, pending, recent = (publish(engine, n) for n in (3, 2, 2, 2))
    fan_out(engine)
    age(engine, delivered, 40, "delivered")
    age(engine, dead, 40, "dead")
    age(engine, pending, 40)  # old, but the subscriber is still owed them
    unpublished = publish(engine, 1)  # written after the fan-out: not yet published
    age(engine, recent, 5, "delivered")
    outbox, deliveries, audit = left(engine)
    assert (outbox, deliveries) == (10, 9)

    assert prune(engine, days=30, batch=2) == 5 + 5  # batches smaller than the work: it loops
    with engine.connect() as conn:
        kept = set(conn.execute(text("SELECT event_id::text FROM outbox")).scalars())
    assert kept == set(pending + recent + unpublished)
    assert left(engine) == (5, 4, audit + 1)  # one audit event says what went
    with engine.connect() as conn:
        logged = conn.execute(text("SELECT after FROM audit_events WHERE action = 'retention.pruned'")).scalar_one()
    assert logged["deleted"] == {"webhook_deliveries": 5, "outbox": 5}

    assert prune(engine, days=30) == 0 and left(engine) == (5, 4, audit + 1)  # nothing more, nothing logged
