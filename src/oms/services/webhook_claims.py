"""Leases on webhook subscriptions: who may send a subscription's pending deliveries, and which.

A worker leases subscriptions that have pending deliveries and are not paused after a failure (FOR
UPDATE SKIP LOCKED, then `lease_until` and a `lease_token` of its own), together with their first
deliveries in outbox order, in one statement. The lease is the only way to send a subscription's
deliveries, so at most one worker sends them at a time, in order; every outcome is written only while the
token is still there. A lease left by a dead worker expires and the next one takes over.
"""

import datetime as dt
import uuid
from dataclasses import dataclass

import orjson
from sqlalchemy import Engine, text

from oms.services.uow import UnitOfWork


@dataclass(frozen=True)
class Pending:
    id: int
    attempts: int
    queued_at: dt.datetime
    event_id: str
    event_type: str
    body: bytes  # the envelope, as sent and signed


@dataclass(frozen=True)
class Claim:
    subscription_id: int
    url: str
    secret: str
    token: uuid.UUID
    deadline: float  # time.monotonic() after which no request starts under this lease
    deliveries: list[Pending]


_CLAIM = text("""
    WITH claimable AS (
      SELECT s.id FROM webhook_subscriptions s
      WHERE s.enabled AND (s.lease_until IS NULL OR s.lease_until < now())
        AND (s.paused_until IS NULL OR s.paused_until <= now())
        AND EXISTS (SELECT FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.status = 'pending')
      ORDER BY s.lease_until NULLS FIRST, s.id  -- the least recently served first
      LIMIT :subscriptions FOR UPDATE SKIP LOCKED),
    leased AS (
      UPDATE webhook_subscriptions s SET lease_until = now() + make_interval(secs => :lease_s),
                                         lease_token = :token
      FROM claimable c WHERE s.id = c.id RETURNING s.id, s.url, s.secret)
    SELECT l.id AS subscription_id, l.url, l.secret, d.id, d.attempts, d.queued_at,
           o.event_id, o.event_type, o.payload, o.created_at
    FROM leased l
    CROSS JOIN LATERAL (
      SELECT id, outbox_id, attempts, queued_at FROM webhook_deliveries
      WHERE subscription_id = l.id AND status = 'pending' ORDER BY outbox_id LIMIT :per_claim) d
    JOIN outbox o ON o.id = d.outbox_id
    ORDER BY l.id, d.outbox_id
""")
_RELEASE = text("""
    UPDATE webhook_subscriptions SET lease_until = now(), lease_token = NULL WHERE id = :id AND lease_token = :token
""")


def claim(engine: Engine, subscriptions: int, per_claim: int, lease_s: float, deadline: float) -> list[Claim]:
    """Lease up to `subscriptions` subscriptions for `lease_s` seconds, each with its first `per_claim`
    pending deliveries; no request may start under the lease after `deadline` (time.monotonic())."""
    token = uuid.uuid4()
    params = {"subscriptions": subscriptions, "lease_s": lease_s, "token": token, "per_claim": per_claim}
    with UnitOfWork(engine).autocommit() as uow:
        rows = uow.conn.execute(_CLAIM, params).all()
    claims: dict[int, Claim] = {}
    for row in rows:
        if row.subscription_id not in claims:
            claims[row.subscription_id] = Claim(row.subscription_id, row.url, row.secret, token, deadline, [])
        claims[row.subscription_id].deliveries.append(_pending(row))
    return list(claims.values())


def release(engine: Engine, claim: Claim) -> None:
    """Hand the lease back (if still ours); the subscription goes to the back of the queue."""
    with UnitOfWork(engine).autocommit() as uow:
        uow.conn.execute(_RELEASE, {"id": claim.subscription_id, "token": claim.token})


def _pending(row) -> Pending:
    # In UTC whatever the session's TimeZone: every attempt of an event sends (and signs) the same bytes.
    created_at = row.created_at.astimezone(dt.UTC).isoformat()
    envelope = {"id": str(row.event_id), "type": row.event_type, "created_at": created_at, "data": row.payload}
    return Pending(row.id, row.attempts, row.queued_at, str(row.event_id), row.event_type, orjson.dumps(envelope))
