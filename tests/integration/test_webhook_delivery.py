"""Webhook delivery from the outbox to a real HTTP receiver on localhost: fan-out, retries with the same
event id, signatures, order per subscription, leases, dead letters and replay."""

import threading
import time

from sqlalchemy import create_engine, text

from oms.services.actor import SYSTEM
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from oms.services.webhook_claims import claim, release
from oms.services.webhook_deliveries import DeliveryStatus, list_deliveries, replay_dead, replay_delivery
from oms.services.webhook_delivery import DeliverySettings, deliver_due
from oms.services.webhook_outbox import fan_out
from oms.services.webhook_subscriptions import (
    SubscriptionCreate,
    SubscriptionUpdate,
    create_subscription,
    update_subscription,
)
from tests.factories import ADMIN, add_network, order_body, set_stock
from tests.integration.webhook_receiver import Receiver

SECRET = "whsec_integration-test-secret"
FAST = DeliverySettings(timeout_s=0.5, lease_s=3, run_budget_s=2, parallel=4, per_claim=50,
                        retry_base_s=0.05, retry_cap_s=0.2, max_attempts=50, max_age_s=3600)  # fmt: skip


def publish(engine, count: int, event_type: str = "order.created") -> list[str]:
    """`count` outbox messages written the way every service writes them; their event ids in order."""
    with UnitOfWork(engine) as uow:
        before = uow.conn.execute(text("SELECT coalesce(max(id), 0) FROM outbox")).scalar_one()
        for n in range(count):
            uow.record(SYSTEM, event_type, "order", n, after={"n": n}, publish=event_type)
        uow.commit()
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT event_id FROM outbox WHERE id > :b ORDER BY id"), {"b": before})
        return [str(event_id) for event_id in rows.scalars()]


def subscribe(engine, url: str, types=("*",), enabled: bool = True) -> int:
    command = SubscriptionCreate(url=url, event_types=list(types), secret=SECRET, enabled=enabled)
    return create_subscription(UnitOfWork(engine), ADMIN, command).id


def statuses(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return dict(conn.execute(text("SELECT status, count(*) FROM webhook_deliveries GROUP BY status")).all())


def deliver_all(engine, settings: DeliverySettings = FAST, timeout_s: float = 30.0) -> None:
    """Run both worker jobs until nothing is unpublished or pending."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        fan_out(engine)
        deliver_due(engine, settings)
        with engine.connect() as conn:
            left = conn.execute(text("SELECT (SELECT count(*) FROM outbox WHERE published_at IS NULL)"
                                     " + (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')")).scalar_one()  # fmt: skip
        if left == 0:
            return
        time.sleep(0.02)
    raise AssertionError(f"not delivered in {timeout_s} s: {statuses(engine)}")


def test_fan_out_with_no_subscription_only_marks_the_outbox_published(engine):
    publish(engine, 5)
    assert fan_out(engine) == 5
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM outbox WHERE published_at IS NULL")).scalar_one() == 0
        assert conn.execute(text("SELECT count(*) FROM webhook_deliveries")).scalar_one() == 0
    assert fan_out(engine) == 0


def test_fan_out_queues_one_delivery_per_matching_enabled_subscription_and_never_twice(engine):
    everything = subscribe(engine, "http://127.0.0.1:9/all")
    created_only = subscribe(engine, "http://127.0.0.1:9/created", ["order.created"])
    subscribe(engine, "http://127.0.0.1:9/off", ["*"], enabled=False)
    publish(engine, 3, "order.created")
    publish(engine, 2, "order.cancelled")

    assert fan_out(engine) == 5
    with engine.begin() as conn:  # as if the outbox rows had been fanned out but not marked published
        conn.execute(text("UPDATE outbox SET published_at = NULL"))
    assert fan_out(engine) == 5

    with engine.connect() as conn:
        per_subscription = dict(conn.execute(text(
            "SELECT subscription_id, count(*) FROM webhook_deliveries GROUP BY subscription_id")).all())  # fmt: skip
    assert per_subscription == {everything: 5, created_only: 3}


def test_an_event_committed_late_with_a_smaller_id_is_still_fanned_out(engine):
    """Outbox ids are taken at insert, rows become visible at commit: a fan-out that ran in between has
    gone past the smaller id (no high-water mark may skip it)."""
    subscribe(engine, "http://127.0.0.1:9/hook")
    with engine.connect() as slow:
        smaller = slow.execute(text("INSERT INTO outbox (event_id, event_type, payload)"
                                    " VALUES (gen_random_uuid(), 'order.created', '{}') RETURNING id")).scalar_one()  # fmt: skip
        publish(engine, 1)  # a larger id, committed first
        assert fan_out(engine) == 1
        slow.commit()
    assert fan_out(engine) == 1
    with engine.connect() as conn:
        queued = conn.execute(text("SELECT outbox_id FROM webhook_deliveries ORDER BY outbox_id")).scalars().all()
    assert queued == [smaller, smaller + 1]


def test_a_receiver_that_fails_then_recovers_gets_every_event_in_order_with_stable_ids(engine):
    def script(n: int, path: str) -> tuple[int, float]:
        if n <= 6:
            return 500, 0.0
        if n <= 9:
            return 200, 1.0  # answers after the sender's 0.5 s timeout
        return 200, 0.0

    with Receiver(script) as receiver:
        subscribe(engine, receiver.url + "/hook")
        published = publish(engine, 25)
        deliver_all(engine)

    assert statuses(engine) == {"delivered": 25}
    timely = [r.event_id for r in receiver.requests if r.status == 200 and r.delay == 0]
    assert timely == published  # every event, each once on time, in outbox order
    assert {r.event_id for r in receiver.requests} == set(published)
    assert all(r.verifies(SECRET) for r in receiver.requests)
    first = [r for r in receiver.requests if r.event_id == published[0]]
    assert len(first) == 10  # 6 errors, 3 timeouts, then accepted: the same id every time
    assert {r.body for r in first} == {first[0].body}
    envelope = first[0].envelope
    assert envelope["id"] == published[0] and envelope["type"] == "order.created"
    assert envelope["data"]["data"] == {"n": 0} and envelope["created_at"]


def test_a_failure_holds_back_the_subscriptions_later_events_until_it_is_delivered(engine):
    def script(n: int, path: str) -> tuple[int, float]:
        return (503, 0.0) if n in (3, 4, 5) else (200, 0.0)

    with Receiver(script) as receiver:
        subscribe(engine, receiver.url)
        published = publish(engine, 8)
        deliver_all(engine)

    arrivals = [r.event_id for r in receiver.requests]
    assert arrivals == published[:2] + [published[2]] * 4 + published[3:]
    with engine.connect() as conn:
        third = conn.execute(text("SELECT attempts, last_status_code FROM webhook_deliveries ORDER BY outbox_id"
                                  " OFFSET 2 LIMIT 1")).one()  # fmt: skip
    assert tuple(third) == (4, 200)


def test_two_workers_never_send_one_subscriptions_events_at_once_nor_twice(engine):
    def slow(n: int, path: str) -> tuple[int, float]:
        return 200, 0.02

    with Receiver(slow) as receiver:
        subscribe(engine, receiver.url + "/a")
        subscribe(engine, receiver.url + "/b")
        published = publish(engine, 40)
        fan_out(engine)
        # A timeout would make a retry overlap the late answer (at least once allows it); on a loaded
        # machine 0.5 s is not enough, and it is not what this test is about.
        patient = FAST.model_copy(update={"timeout_s": 10.0, "lease_s": 20.0})
        workers = [threading.Thread(target=deliver_all, args=(engine, patient)) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)

    assert statuses(engine) == {"delivered": 80}
    for path in ("/a", "/b"):
        assert [r.event_id for r in receiver.requests if r.path == path] == published
        assert receiver.max_in_flight[path] == 1


def test_a_lease_left_by_a_dead_worker_is_taken_over_once_it_expires(engine):
    with Receiver() as receiver:
        subscribe(engine, receiver.url)
        published = publish(engine, 3)
        fan_out(engine)
        short = FAST.model_copy(update={"lease_s": 2.0})
        assert len(claim(engine, 1, 50, short.lease_s, time.monotonic() + 60)) == 1  # a worker claims, dies

        assert deliver_due(engine, short) == 0  # still leased
        time.sleep(2.1)
        assert deliver_due(engine, short) == 3
    assert receiver.accepted_ids() == published


def test_a_delivery_that_keeps_failing_goes_dead_then_a_replay_delivers_the_same_event(engine):
    answers = {"status": 500}
    with Receiver(lambda n, path: (answers["status"], 0.0)) as receiver:
        subscription = subscribe(engine, receiver.url)
        [event_id] = publish(engine, 1)
        deliver_all(engine, FAST.model_copy(update={"max_attempts": 3}))

        [dead] = list_deliveries(UnitOfWork(engine), ADMIN, status=DeliveryStatus.DEAD, subscription_id=subscription).items
        assert (dead.attempts, dead.last_status_code, str(dead.event_id)) == (3, 500, event_id)
        assert dead.last_error.startswith("HTTP 500")

        answers["status"] = 204
        replayed = replay_delivery(UnitOfWork(engine), ADMIN, dead.id)
        assert (replayed.status, replayed.attempts) == ("pending", 0)
        deliver_all(engine)

    assert [r.event_id for r in receiver.requests] == [event_id] * 4
    assert receiver.accepted_ids() == [event_id]
    assert statuses(engine) == {"delivered": 1}


def test_bulk_replay_requeues_every_dead_delivery_of_a_subscription(engine):
    answers = {"status": 410}
    with Receiver(lambda n, path: (answers["status"], 0.0)) as receiver:
        subscription = subscribe(engine, receiver.url)
        published = publish(engine, 4)
        deliver_all(engine, FAST.model_copy(update={"max_attempts": 1}))
        assert statuses(engine) == {"dead": 4}

        answers["status"] = 200
        assert replay_dead(UnitOfWork(engine), ADMIN, subscription).replayed == 4
        deliver_all(engine)

    assert receiver.accepted_ids() == published


def test_a_paused_subscription_is_retried_at_once_after_it_is_changed(engine):
    with Receiver() as receiver:
        subscription = subscribe(engine, "http://127.0.0.1:9/refused")  # nothing listens on port 9
        [event_id] = publish(engine, 1)
        fan_out(engine)
        deliver_due(engine, FAST.model_copy(update={"retry_base_s": 3600, "retry_cap_s": 3600}))
        assert deliver_due(engine, FAST) == 0  # paused for an hour

        update_subscription(UnitOfWork(engine), ADMIN, subscription, SubscriptionUpdate(url=receiver.url))
        assert deliver_due(engine, FAST) == 1
    assert receiver.accepted_ids() == [event_id]


def test_a_disabled_subscription_keeps_its_pending_deliveries_until_enabled(engine):
    with Receiver() as receiver:
        subscription = subscribe(engine, receiver.url)
        [event_id] = publish(engine, 1)
        fan_out(engine)
        update_subscription(UnitOfWork(engine), ADMIN, subscription, SubscriptionUpdate(enabled=False))
        assert deliver_due(engine, FAST) == 0 and statuses(engine) == {"pending": 1}

        update_subscription(UnitOfWork(engine), ADMIN, subscription, SubscriptionUpdate(enabled=True))
        deliver_all(engine)
    assert receiver.accepted_ids() == [event_id]


def test_a_captured_order_reaches_a_subscriber_of_order_created_only(engine):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    with Receiver() as receiver:
        subscribe(engine, receiver.url, ["order.created"])
        order, _ = capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(order_body()))
        deliver_all(engine)

    [received] = receiver.requests
    envelope = received.envelope
    assert (received.event_type, envelope["type"]) == ("order.created", "order.created")
    assert envelope["data"]["entity_type"] == "order" and envelope["data"]["entity_id"] == str(order.id)
    assert envelope["data"]["data"]["external_id"] == "WEB-1" and received.verifies(SECRET)


def test_the_body_of_an_event_is_the_same_whatever_the_workers_session_time_zone(engine):
    """A retry re-signs the same bytes: the envelope's created_at must not follow the worker's TimeZone."""
    subscribe(engine, "http://127.0.0.1:9/hook")
    publish(engine, 1)
    fan_out(engine)
    bodies = []
    for zone in ("UTC", "Asia/Tokyo"):
        worker_engine = create_engine(engine.url, connect_args={"options": f"-c TimeZone={zone}"})
        try:
            [held] = claim(worker_engine, 1, 50, 30, time.monotonic() + 30)
            bodies.append(held.deliveries[0].body)
            release(worker_engine, held)
        finally:
            worker_engine.dispose()
    assert bodies[0] == bodies[1]
