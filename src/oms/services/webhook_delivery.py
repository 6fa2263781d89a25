"""Sending webhook deliveries: a worker job. The envelope and its signature are described (for
receivers) in oms.domain.webhook_signature.

A run leases subscriptions that have pending deliveries (FOR UPDATE SKIP LOCKED, then `lease_until` and
a `lease_token`), and sends each one's deliveries in outbox order, one request at a time, on a thread per
subscription. Outcomes are written only while the lease is still ours: a failure at once, successes a
few at a time (WRITE_EVERY). A worker killed mid-delivery leaves its lease to expire: the deliveries it
did not record are sent again, with the same event id (at least once, never lost).

Order: a subscription has at most one request in flight across all workers, sent in outbox id order. A
failure pauses the whole subscription for the retry's backoff (`paused_until`), so the failed event is
sent again before any later one: a receiver sees each subscription's events in order, possibly with
repeats of an id. Once an event is given up (dead) the later ones go on, and a replayed one arrives late.
"""

import datetime as dt
import logging
import random
import time
import uuid
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache

import httpx
import orjson
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine, text

from oms.domain.webhook_retry import RetryPolicy, is_dead, retry_delay
from oms.services.uow import UnitOfWork
from oms.webhooks.sender import Outcome, http_client, send

log = logging.getLogger("oms.webhooks")


class DeliverySettings(BaseSettings):
    """OMS_WEBHOOK_TIMEOUT_S and so on, from the environment."""

    model_config = SettingsConfigDict(env_prefix="OMS_WEBHOOK_", env_file=".env", extra="ignore")

    timeout_s: float = 5.0  # per request
    lease_s: float = 60.0  # how long a worker holds a subscription; must exceed run_budget_s + timeout_s
    run_budget_s: float = 10.0  # a run starts no request after this long
    parallel: int = 8  # subscriptions served at once by one worker
    per_claim: int = 100  # deliveries of a subscription sent under one lease
    retry_base_s: float = 10.0
    retry_cap_s: float = 3600.0
    max_attempts: int = 12
    max_age_s: float = 3 * 24 * 3600.0

    @model_validator(mode="after")
    def _lease_outlives_a_request(self):
        if self.lease_s < self.timeout_s + 1.5:
            raise ValueError("lease_s must exceed timeout_s by more than a second and a half")
        return self

    def policy(self) -> RetryPolicy:
        return RetryPolicy(self.retry_base_s, self.retry_cap_s, self.max_attempts, self.max_age_s)


@lru_cache
def delivery_settings() -> DeliverySettings:
    return DeliverySettings()


@dataclass(frozen=True)
class Pending:
    id: int
    attempts: int
    queued_at: dt.datetime
    event_id: str
    event_type: str
    body: bytes


@dataclass(frozen=True)
class Claim:
    subscription_id: int
    url: str
    secret: str
    token: uuid.UUID
    deadline: float  # time.monotonic() after which no request starts under this lease
    deliveries: list[Pending]


def deliver_due(engine: Engine, settings: DeliverySettings | None = None) -> int:
    """Send what is due, subscriptions in parallel, for at most the run budget; how many were sent."""
    settings = settings or delivery_settings()
    run_deadline = time.monotonic() + settings.run_budget_s
    claims = claim(engine, settings, settings.parallel, run_deadline)
    if not claims:
        return 0  # the common case: one cheap query
    sent = 0
    with http_client(settings.timeout_s) as client, ThreadPoolExecutor(settings.parallel) as pool:
        running = {pool.submit(send_claim, engine, client, c, settings.policy()) for c in claims}
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            sent += sum(future.result() for future in done)
            if time.monotonic() < run_deadline:
                for more in claim(engine, settings, len(done), run_deadline):
                    running.add(pool.submit(send_claim, engine, client, more, settings.policy()))
    return sent


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


def claim(engine: Engine, settings: DeliverySettings, subscriptions: int, run_deadline: float) -> list[Claim]:
    """Lease up to `subscriptions` subscriptions with pending deliveries, with their first deliveries."""
    token = uuid.uuid4()
    params = {"subscriptions": subscriptions, "lease_s": settings.lease_s, "token": token,
              "per_claim": settings.per_claim}  # fmt: skip
    # No request starts so late that it could outlive the lease.
    deadline = min(run_deadline, time.monotonic() + settings.lease_s - settings.timeout_s - 1)
    with UnitOfWork(engine).autocommit() as uow:
        rows = uow.conn.execute(_CLAIM, params).all()
    claims: dict[int, Claim] = {}
    for row in rows:
        if row.subscription_id not in claims:
            claims[row.subscription_id] = Claim(row.subscription_id, row.url, row.secret, token, deadline, [])
        claims[row.subscription_id].deliveries.append(_pending(row))
    return list(claims.values())


def _pending(row) -> Pending:
    envelope = {"id": str(row.event_id), "type": row.event_type, "created_at": row.created_at.isoformat(),
                "data": row.payload}  # fmt: skip
    return Pending(row.id, row.attempts, row.queued_at, str(row.event_id), row.event_type, orjson.dumps(envelope))


# Successes are written together, this many at a time (a write per request cost as much as the request
# on localhost). A worker killed before such a write sends those events again, with the same ids.
WRITE_EVERY = 25


def send_claim(engine: Engine, client: httpx.Client, claim: Claim, policy: RetryPolicy) -> int:
    """Send the claimed deliveries in order until one fails, the lease runs short or is lost; how many
    requests were made. Outcomes are written under the lease, which is handed back at the end."""
    sent, delivered = 0, []
    try:
        for delivery in claim.deliveries:
            if time.monotonic() > claim.deadline:
                break
            outcome = send(client, claim.url, claim.secret, delivery.event_id, delivery.event_type, delivery.body)
            sent += 1
            if outcome.delivered:
                delivered.append((delivery.id, outcome.status_code, dt.datetime.now(dt.UTC)))
                if len(delivered) < WRITE_EVERY:
                    continue
            go_on = _write_delivered(engine, claim, delivered)
            delivered = []
            if not outcome.delivered:
                go_on = go_on and record_failure(engine, claim, delivery, outcome, policy)
            if not go_on:
                break  # paused after a failure, or the lease was lost
    finally:
        try:
            _write_delivered(engine, claim, delivered)
        finally:
            _release(engine, claim)
    return sent


_DELIVERED = text("""
    UPDATE webhook_deliveries d SET status = 'delivered', attempts = d.attempts + 1, last_attempt_at = r.at,
                                    delivered_at = r.at, last_status_code = r.code, last_error = NULL
    FROM unnest(CAST(:ids AS bigint[]), CAST(:codes AS integer[]), CAST(:ats AS timestamptz[])) AS r(id, code, at)
    WHERE d.id = r.id AND d.status = 'pending'
      AND EXISTS (SELECT FROM webhook_subscriptions s WHERE s.id = d.subscription_id AND s.lease_token = :token)
""")
_FAILED = text("""
    WITH failed AS (
      UPDATE webhook_deliveries d SET status = :status, attempts = d.attempts + 1, last_attempt_at = now(),
                                      next_attempt_at = now() + make_interval(secs => :delay_s),
                                      last_status_code = :code, last_error = :error
      WHERE d.id = :id AND d.status = 'pending'
        AND EXISTS (SELECT FROM webhook_subscriptions s
                    WHERE s.id = d.subscription_id AND s.lease_token = :token)
      RETURNING d.subscription_id),
    paused AS (
      UPDATE webhook_subscriptions s SET paused_until = now() + make_interval(secs => :delay_s)
      FROM failed f WHERE s.id = f.subscription_id AND :status = 'pending')
    SELECT count(*) FROM failed
""")
_RELEASE = text("""
    UPDATE webhook_subscriptions SET lease_until = now(), lease_token = NULL WHERE id = :id AND lease_token = :token
""")


def _write_delivered(engine: Engine, claim: Claim, delivered: list[tuple]) -> bool:
    """Mark deliveries delivered (id, status code, when); whether the lease was still ours for all."""
    if not delivered:
        return True
    ids, codes, ats = map(list, zip(*delivered, strict=True))
    with UnitOfWork(engine).autocommit() as uow:
        written = uow.conn.execute(_DELIVERED, {"ids": ids, "codes": codes, "ats": ats, "token": claim.token})
    return written.rowcount == len(delivered)


def record_failure(engine: Engine, claim: Claim, delivery: Pending, outcome: Outcome, policy: RetryPolicy) -> bool:
    """Store a failed attempt: retry later (the subscription pauses until then) or, past the policy's
    limits, dead. Whether the subscription's next delivery may be sent now (after a dead one)."""
    attempts = delivery.attempts + 1
    age_s = (dt.datetime.now(dt.UTC) - delivery.queued_at).total_seconds()
    dead = is_dead(policy, attempts, age_s)
    delay_s = 0.0 if dead else retry_delay(policy, attempts, random.random())
    params = {"id": delivery.id, "token": claim.token, "code": outcome.status_code, "error": outcome.error,
              "status": "dead" if dead else "pending", "delay_s": delay_s}  # fmt: skip
    with UnitOfWork(engine).autocommit() as uow:
        recorded = uow.conn.execute(_FAILED, params).scalar_one()
    if recorded and dead:
        log.warning("webhook delivery %d (event %s) to subscription %d is dead after %d attempts: %s",
                    delivery.id, delivery.event_id, claim.subscription_id, attempts, outcome.error)  # fmt: skip
    return bool(recorded) and dead  # a dead delivery no longer holds the later ones back


def _release(engine: Engine, claim: Claim) -> None:
    with UnitOfWork(engine).autocommit() as uow:
        uow.conn.execute(_RELEASE, {"id": claim.subscription_id, "token": claim.token})
