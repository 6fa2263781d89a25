"""The webhooks API: subscriptions (admins only, secret shown once), delivery history, dead letters and
replay; every refusal is a problem body and changes nothing."""

import pytest
from sqlalchemy import text

from oms.services.actor import SYSTEM, Role
from oms.services.uow import UnitOfWork
from oms.services.webhook_outbox import fan_out
from tests.factories import api_key

SUBSCRIPTION = {"url": "https://erp.example.com/hooks/oms", "event_types": ["order.shipped", "order.created"],
                "description": "ERP"}  # fmt: skip


@pytest.fixture
def admin(client, engine):
    client.headers.update(api_key(engine, Role.ADMIN))
    return client


def snapshot(engine) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT (SELECT count(*) FROM webhook_subscriptions), (SELECT count(*) FROM audit_events),"
            " (SELECT coalesce(json_agg(s ORDER BY id)::text, '') FROM webhook_subscriptions s),"
            " (SELECT coalesce(json_agg(d ORDER BY id)::text, '') FROM webhook_deliveries d)")).one())  # fmt: skip


def dead_delivery(engine, subscription_id: int, status: str = "dead") -> int:
    """A delivery of a freshly published event, set to `status` as the delivery job would."""
    with UnitOfWork(engine) as uow:
        uow.record(SYSTEM, "order.created", "order", 1, after={"id": 1}, publish="order.created")
        uow.commit()
    fan_out(engine)
    with engine.begin() as conn:
        return conn.execute(text("UPDATE webhook_deliveries SET status = :s, attempts = 12, last_status_code = 500"
                                 " WHERE subscription_id = :sub RETURNING id"), {"s": status, "sub": subscription_id}).scalar_one()  # fmt: skip


def test_creating_a_subscription_answers_its_secret_once(admin, engine):
    created = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION)

    assert created.status_code == 201
    body = created.json()
    assert body["secret"].startswith("whsec_") and len(body["secret"]) > 40
    assert body["event_types"] == ["order.created", "order.shipped"] and body["enabled"] is True
    assert (body["pending"], body["dead"], body["paused_until"]) == (0, 0, None)
    read = admin.get(f"/api/v1/webhooks/subscriptions/{body['id']}").json()
    listed = admin.get("/api/v1/webhooks/subscriptions").json()["items"]
    assert "secret" not in read and listed == [read]
    with engine.connect() as conn:
        audit = conn.execute(text("SELECT action, after::text FROM audit_events")).one()
    assert audit.action == "webhook_subscription.created" and body["secret"] not in audit.after


def test_a_given_secret_is_kept(admin):
    body = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION | {"secret": "s" * 32}).json()
    assert body["secret"] == "s" * 32


def test_a_subscription_is_changed_disabled_and_deleted(admin, engine):
    sub = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).json()
    url = f"/api/v1/webhooks/subscriptions/{sub['id']}"

    changed = admin.patch(url, json={"enabled": False, "event_types": ["*"], "url": "http://10.0.0.5:8080/in"})
    assert changed.status_code == 200
    assert (changed.json()["enabled"], changed.json()["event_types"]) == (False, ["*"])
    assert changed.json()["url"] == "http://10.0.0.5:8080/in" and changed.json()["description"] == "ERP"

    assert admin.delete(url).status_code == 204
    assert admin.get(url).status_code == 404
    with engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_events ORDER BY id")).scalars().all()
    assert actions == ["webhook_subscription.created", "webhook_subscription.updated",
                       "webhook_subscription.deleted"]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"event_types": ["order.created", "order.teleported"]}, "/event_types/1"),
        ({"event_types": []}, "/event_types"),
        ({"url": "ftp://erp.example.com/in"}, "/url"),
        ({"url": "not a url"}, "/url"),
        ({"url": "https:///no-host"}, "/url"),
        ({"url": "https://erp..example.çom/in"}, "/url"),  # no valid IDNA host: the sender could never send
        ({"url": "https://erp.example.com:99999/in"}, "/url"),
        ({"url": "https://erp.example.com/in\x00"}, "/url"),
        ({"secret": "short"}, "/secret"),
        ({"colour": "blue"}, "/colour"),
    ],
)
def test_invalid_subscriptions_are_refused_and_change_nothing(admin, engine, change, pointer):
    existing = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).json()
    before = snapshot(engine)

    created = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION | change)
    updated = admin.patch(f"/api/v1/webhooks/subscriptions/{existing['id']}", json=change)

    for answer in (created, updated):
        assert answer.status_code == 422
        assert answer.headers["content-type"] == "application/problem+json"
        assert pointer in [e["pointer"] for e in answer.json()["errors"]]
    assert snapshot(engine) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/webhooks/subscriptions/999"),
        ("patch", "/api/v1/webhooks/subscriptions/999"),
        ("delete", "/api/v1/webhooks/subscriptions/999"),
        ("post", "/api/v1/webhooks/subscriptions/999/replay"),
        ("get", "/api/v1/webhooks/deliveries/999"),
        ("post", "/api/v1/webhooks/deliveries/999/replay"),
    ],
)
def test_unknown_subscriptions_and_deliveries_answer_404_and_change_nothing(admin, engine, method, path):
    before = snapshot(engine)
    answer = admin.request(method, path, json={} if method == "patch" else None)
    assert answer.status_code == 404 and answer.json()["type"].endswith("/not-found")
    assert snapshot(engine) == before


HUGE = 2**63  # one past PostgreSQL's bigint


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", f"/api/v1/webhooks/subscriptions/{HUGE}", None),
        ("patch", f"/api/v1/webhooks/subscriptions/{HUGE}", {"enabled": False}),
        ("delete", f"/api/v1/webhooks/subscriptions/{HUGE}", None),
        ("post", f"/api/v1/webhooks/subscriptions/{HUGE}/replay", None),
        ("get", f"/api/v1/webhooks/deliveries/{HUGE}", None),
        ("get", f"/api/v1/webhooks/deliveries?subscription={HUGE}", None),
        ("post", f"/api/v1/webhooks/deliveries/{HUGE}/replay", None),
        ("post", "/api/v1/webhooks/subscriptions", SUBSCRIPTION | {"description": "ERP\x00"}),
        ("post", "/api/v1/webhooks/subscriptions", SUBSCRIPTION | {"secret": "s" * 20 + "\x00"}),
    ],
)
def test_ids_past_bigint_and_nul_characters_answer_4xx_and_change_nothing(admin, engine, method, path, body):
    before = snapshot(engine)
    answer = admin.request(method, path, json=body)
    assert 400 <= answer.status_code < 500 and answer.headers["content-type"] == "application/problem+json"
    assert snapshot(engine) == before


@pytest.mark.parametrize("role", [Role.OPS, Role.MANAGER, Role.VIEWER, Role.CHANNEL])
def test_only_admins_manage_webhooks(client, engine, role):
    client.headers.update(api_key(engine, role))
    before = snapshot(engine)
    assert client.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).status_code == 403
    assert client.get("/api/v1/webhooks/subscriptions").status_code == 403
    assert client.get("/api/v1/webhooks/deliveries?status=dead").status_code == 403
    assert snapshot(engine) == before


def test_the_dead_letter_list_filters_by_status_and_subscription(admin, engine):
    first = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).json()["id"]
    second = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).json()["id"]
    dead = dead_delivery(engine, first)

    listed = admin.get(f"/api/v1/webhooks/deliveries?status=dead&subscription={first}").json()
    assert [d["id"] for d in listed["items"]] == [dead]
    assert listed["items"][0]["status"] == "dead" and listed["items"][0]["next_attempt_at"] is None
    assert admin.get(f"/api/v1/webhooks/deliveries?status=dead&subscription={second}").json()["items"] == []
    history = admin.get(f"/api/v1/webhooks/deliveries?subscription={second}").json()["items"]
    assert [d["status"] for d in history] == ["pending"]
    assert admin.get(f"/api/v1/webhooks/subscriptions/{first}").json()["dead"] == 1
    assert admin.get("/api/v1/webhooks/deliveries?status=lost").status_code == 422


def test_replaying_a_dead_delivery_queues_the_same_event_again(admin, engine):
    sub = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).json()["id"]
    dead = dead_delivery(engine, sub)
    event_id = admin.get(f"/api/v1/webhooks/deliveries/{dead}").json()["event_id"]

    replayed = admin.post(f"/api/v1/webhooks/deliveries/{dead}/replay")

    assert replayed.status_code == 200
    assert (replayed.json()["status"], replayed.json()["attempts"]) == ("pending", 0)
    assert replayed.json()["event_id"] == event_id
    before = snapshot(engine)
    again = admin.post(f"/api/v1/webhooks/deliveries/{dead}/replay")
    assert again.status_code == 409 and "already queued" in again.json()["detail"]
    assert snapshot(engine) == before


def test_a_delivered_event_may_be_replayed(admin, engine):
    sub = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).json()["id"]
    delivered = dead_delivery(engine, sub, status="delivered")
    assert admin.post(f"/api/v1/webhooks/deliveries/{delivered}/replay").json()["status"] == "pending"


def test_bulk_replay_queues_every_dead_delivery_of_the_subscription(admin, engine):
    sub = admin.post("/api/v1/webhooks/subscriptions", json=SUBSCRIPTION).json()["id"]
    dead_delivery(engine, sub)

    answer = admin.post(f"/api/v1/webhooks/subscriptions/{sub}/replay")

    assert answer.json() == {"subscription_id": sub, "replayed": 1}
    assert admin.get(f"/api/v1/webhooks/deliveries?status=dead&subscription={sub}").json()["items"] == []


def test_the_event_type_catalogue_is_listed(admin):
    catalogue = admin.get("/api/v1/webhooks/event-types").json()
    assert {"order.created", "shipment.shipped", "refund.issued", "alert.raised"} <= set(catalogue)
