"""Alerts through the API: filtered pages, one alert, acknowledge and resolve with their audit trail."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from oms.domain.alerts import AlertKind, Severity, dedupe_key
from oms.services.actor import Role
from oms.services.alert_models import AlertSubject
from oms.services.alerts import AlertDraft, raise_alert
from oms.services.sla_check import SLA_CHECK
from oms.services.uow import UnitOfWork
from tests.factories import api_key

MARCH = datetime(2026, 3, 10, 9, tzinfo=UTC)


def raise_one(engine, kind: AlertKind, subject_id: int, node="WH-LYON", carrier=None, day: int = 10,
              severity=Severity.WARNING) -> int | None:  # fmt: skip
    draft = AlertDraft(kind, severity, dedupe_key(kind, "test", subject_id), f"{kind} {subject_id}", {"n": subject_id},
                       AlertSubject(node_id=node, carrier=carrier))  # fmt: skip
    with UnitOfWork(engine) as uow:
        alert = raise_alert(uow, SLA_CHECK, draft, at=MARCH.replace(day=day))
        uow.commit()
    return alert and alert.id


@pytest.fixture
def some(client, engine) -> list[int]:
    """Four alerts: two ship-by risks at Lyon, a critical breach at Köln, a carrier exception."""
    return [
        raise_one(engine, AlertKind.SHIP_BY_AT_RISK, 1, day=10),
        raise_one(engine, AlertKind.SHIP_BY_AT_RISK, 2, day=11),
        raise_one(engine, AlertKind.SHIP_BY_BREACHED, 3, node="WH-KOELN", day=12, severity=Severity.CRITICAL),
        raise_one(engine, AlertKind.SHIPMENT_EXCEPTION, 4, carrier="DHL", day=13),
    ]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.text
    return [a["id"] for a in response.json()["items"]]


def test_raising_a_condition_already_open_changes_nothing(engine, some):
    assert raise_one(engine, AlertKind.SHIP_BY_AT_RISK, 1) is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alerts")).scalar() == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, [0, 1, 2, 3]),
        ({"kind": "ship_by_at_risk"}, [0, 1]),
        ({"severity": "critical"}, [2]),
        ({"node": "WH-LYON"}, [0, 1, 3]),
        ({"carrier": "DHL"}, [3]),
        ({"since": "2026-03-11T09:00:00Z"}, [1, 2, 3]),
        ({"status": "open", "node": "WH-KOELN"}, [2]),
        ({"status": "resolved"}, []),
    ],
)
def test_alerts_filter_by_kind_severity_node_carrier_status_and_since(client, some, params, expected):
    assert ids(client.get("/api/v1/alerts", params=params)) == [some[i] for i in expected]


def test_alerts_page_by_cursor(client, some):
    first = client.get("/api/v1/alerts", params={"limit": 3}).json()
    rest = client.get("/api/v1/alerts", params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [a["id"] for a in first["items"] + rest["items"]] == some and rest["next_cursor"] is None


@pytest.mark.parametrize(
    "params", [{"kind": "meteor"}, {"status": "gone"}, {"since": "yesterday"}, {"limit": 0}, {"cursor": "x"}]
)
def test_bad_filters_are_a_422_problem(client, some, params):
    refused = client.get("/api/v1/alerts", params=params)
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"


def test_one_alert_reads_with_its_subject_and_details(client, some):
    alert = client.get(f"/api/v1/alerts/{some[3]}").json()
    assert alert["kind"] == "shipment_exception" and alert["details"] == {"n": 4}
    assert alert["subject"]["carrier"] == "DHL" and alert["raised_at"].startswith("2026-03-13T09:00")
    assert client.get("/api/v1/alerts/999999").status_code == 404


def test_acknowledge_then_resolve_with_notes_and_an_audit_event_each(client, engine, some):
    acked = client.post(f"/api/v1/alerts/{some[0]}/acknowledge", json={"note": "calling the warehouse"})
    assert acked.status_code == 200
    assert (acked.json()["status"], acked.json()["acknowledged_by"], acked.json()["note"]) == (
        "acknowledged", "test-ops-all", "calling the warehouse")  # fmt: skip
    assert raise_one(engine, AlertKind.SHIP_BY_AT_RISK, 1) is None  # still the condition's alert
    resolved = client.post(f"/api/v1/alerts/{some[0]}/resolve", json={"note": "shipped by hand"}).json()
    assert (resolved["status"], resolved["resolved_by"], resolved["note"]) == ("resolved", "test-ops-all",
                                                                               "shipped by hand")  # fmt: skip
    with engine.connect() as conn:
        trail = conn.execute(text("SELECT action, actor, before->>'status' FROM audit_events "
                                  "WHERE entity_type = 'alert' AND entity_id = :id ORDER BY id"),
                             {"id": str(some[0])}).all()  # fmt: skip
        published = conn.execute(text("SELECT event_type FROM outbox ORDER BY id")).scalars().all()
    assert [tuple(r) for r in trail] == [("alert.raised", "system:sla-check", None),
                                         ("alert.acknowledged", "test-ops-all", "open"),
                                         ("alert.resolved", "test-ops-all", "acknowledged")]  # fmt: skip
    assert published.count("alert.resolved") == 1 and "alert.acknowledged" not in published
    assert (
        raise_one(engine, AlertKind.SHIP_BY_AT_RISK, 1) is not None
    )  # resolved: the condition may come back


def test_acting_on_an_alert_in_the_wrong_status_is_a_conflict_and_changes_nothing(client, engine, some):
    client.post(f"/api/v1/alerts/{some[1]}/resolve", json={"note": "done"})
    before = client.get(f"/api/v1/alerts/{some[1]}").json()
    for action, body in (("acknowledge", {}), ("resolve", {"note": "again"})):
        refused = client.post(f"/api/v1/alerts/{some[1]}/{action}", json=body)
        assert refused.status_code == 409 and refused.headers["content-type"] == "application/problem+json"
    assert client.get(f"/api/v1/alerts/{some[1]}").json() == before
    client.post(f"/api/v1/alerts/{some[2]}/acknowledge", json={})
    assert client.post(f"/api/v1/alerts/{some[2]}/acknowledge", json={}).status_code == 409


def test_resolving_needs_a_note_and_an_unknown_alert_is_a_404(client, some):
    assert client.post(f"/api/v1/alerts/{some[0]}/resolve", json={}).status_code == 422
    assert client.post(f"/api/v1/alerts/{some[0]}/resolve", json={"note": "  "}).status_code == 422
    assert client.get(f"/api/v1/alerts/{some[0]}").json()["status"] == "open"
    assert client.post("/api/v1/alerts/999999/resolve", json={"note": "x"}).status_code == 404


def test_viewers_read_alerts_but_only_the_desks_act_on_them(client, engine, some):
    viewer = api_key(engine, Role.VIEWER)
    assert client.get("/api/v1/alerts", headers=viewer).status_code == 200
    assert client.post(f"/api/v1/alerts/{some[0]}/acknowledge", json={}, headers=viewer).status_code == 403
    manager = api_key(engine, Role.MANAGER)
    assert client.post(f"/api/v1/alerts/{some[0]}/acknowledge", json={}, headers=manager).status_code == 200
    assert client.get("/api/v1/alerts", headers=api_key(engine, Role.CHANNEL, "web")).status_code == 403
