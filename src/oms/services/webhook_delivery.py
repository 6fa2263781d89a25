"""Sending webhook deliveries: a worker job. The envelope and its signature are described (for
receivers) in oms.domain.webhook_signature, the leases that keep one sender per subscription in
oms.services.webhook_claims.

A run leases subscriptions with pending deliveries and sends each one's in outbox order, one request at a
time, on a thread per subscription. Outcomes are written only while the lease is still ours: a failure at
once, successes a few at a time (WRITE_EVERY). A worker killed mid-delivery leaves its lease to expire:
the deliveries it did not record are sent again, with the same event id (at least once, never lost).

Order: a subscription has at most one request in flight across all workers, sent in outbox id order. A
failure pauses the whole subscription for the retry's backoff (`paused_until`), so the failed event is
sent again before any later one: a receiver sees each subscription's events in order, possibly with
repeats of an id. Once an event is given up (dead) the later ones go on, and a replayed one arrives late.
"""

import datetime as dt
import logging
import random
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from functools import lru_cache

import httpx
from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine, text

from oms.domain.webhook_retry import RetryPolicy, is_dead, retry_delay
from oms.services.uow import UnitOfWork
from oms.services.webhook_claims import Claim, Pending, claim, release
from oms.webhooks.sender import Outcome, http_client, send

log = logging.getLogger("oms.webhooks")


class DeliverySettings(BaseSettings):
    """OMS_WEBHOOK_TIMEOUT_S and so on, from the environment."""

    model_config = SettingsConfigDict(env_prefix="OMS_WEBHOOK_", env_file=".env", extra="ignore")

    timeout_s: float = 5.0  # per request
    lease_s: float = 60.0  # how long a worker holds a subscription: a request ends well before it does
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


def deliver_due(engine: Engine, settings: DeliverySettings | None = None) -> int:
    """Send what is due, subscriptions in parallel, for at most the run budget; how many were sent."""
    settings = settings or delivery_settings()
    run_deadline = time.monotonic() + settings.run_budget_s

    def lease(subscriptions: int) -> list[Claim]:
        # No request starts so late that it could outlive the lease, nor after the run's budget.
        deadline = min(run_deadline, time.monotonic() + settings.lease_s - settings.timeout_s - 1)
        return claim(engine, subscriptions, settings.per_claim, settings.lease_s, deadline)

    claims = lease(settings.parallel)
    if not claims:
        return 0  # the common case: one cheap query
    sent = 0
    with http_client(settings.timeout_s) as client, ThreadPoolExecutor(settings.parallel) as pool:
        running = {pool.submit(send_claim, engine, client, c, settings.policy()) for c in claims}
        while running:
            done, running = wait(running, return_when=FIRST_COMPLETED)
            sent += sum(future.result() for future in done)
            if time.monotonic() < run_deadline:
                for more in lease(len(done)):
                    running.add(pool.submit(send_claim, engine, client, more, settings.policy()))
    return sent


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
            release(engine, claim)
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
