"""Capture with a profile set pinning a reliability table: the stored decision carries each shipment's
predicted on-time probability and transit days, and the breakdown the two predicted criteria. A set
pinning a version never learnt is refused, whether saved or simulated as a draft."""

from datetime import UTC, datetime

import pytest

from oms.domain.routing.reliability import Cell, ReliabilityTable
from oms.services.actor import Actor, Role
from oms.services.delay_models_store import store_model
from oms.services.routing_reliability import RELIABILITY
from oms.services.uow import UnitOfWork
from tests.api.conftest import client  # noqa: F401  (the API client fixture)
from tests.factories import order_body, set_stock
from tests.web.conftest import as_role

AT = datetime(2026, 11, 1, tzinfo=UTC)
PROFILES = "/api/v1/routing/profiles"
# The built-in rates have one carrier, "default"; from Lyon to Paris (FR-75) it is late one time in five.
LYON_TO_PARIS = ("WH-LYON", "default", "FR-75", "standard")


def store_table() -> ReliabilityTable:
    return ReliabilityTable(Cell(500, 0.9, 2.0, 2, 3), {}, {LYON_TO_PARIS: Cell(80, 0.8, 2.6, 2, 4)}, {})


@pytest.fixture
def pinned(client, engine):  # noqa: F811
    uow = UnitOfWork(engine)
    window = {"train_from": AT, "train_to": AT, "validate_from": AT, "validate_to": AT}
    with uow:
        info = store_model(uow, Actor(name="test", role=Role.MANAGER), RELIABILITY, store_table(),
                           {"trained_at": AT, **window, "rows": 580}, {"shipments": 580})  # fmt: skip
        uow.commit()
    return info.version


def save(client, reliability_version, objective):  # noqa: F811
    body = {"version": 1, "reliability_version": reliability_version,
            "strategies": [{"name": "predictive", "objective": objective}]}  # fmt: skip
    return client.put(PROFILES, json=body)


def test_a_captured_order_under_a_pinned_profile_carries_its_predictions(client, engine, pinned):  # noqa: F811
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    assert save(client, pinned, {"late_risk": 20}).status_code == 200
    captured = client.post("/api/v1/orders", json=order_body("WEB-P1"))
    assert captured.status_code == 201, captured.json()
    decision = client.get(f"/api/v1/orders/{captured.json()['id']}/routing-decision").json()["decision"]
    [shipment] = decision["plan"]["shipments"]
    assert (shipment["node_id"], shipment["on_time"], shipment["predicted_transit_days"]) == (
        "WH-LYON",
        0.8,
        2.6,
    )
    assert decision["plan"]["breakdown"]["late_risk"] == {"value": 0.2, "weighted": 4.0}
    page = as_role(client, engine, Role.OPS).get(f"/orders/{captured.json()['id']}")
    assert page.status_code == 200 and "predicted 80% on time" in page.text


def test_without_a_pinned_version_the_decision_has_no_predictions(client, engine, pinned):  # noqa: F811
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    captured = client.post("/api/v1/orders", json=order_body("WEB-P2")).json()
    decision = client.get(f"/api/v1/orders/{captured['id']}/routing-decision").json()["decision"]
    assert (
        decision["plan"]["shipments"][0]["on_time"] is None
        and "late_risk" not in decision["plan"]["breakdown"]
    )


def test_weighing_lateness_without_a_version_is_refused(client):  # noqa: F811
    refused = save(client, None, {"late_risk": 20})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["strategies", 0, "objective", "late_risk"]


def test_a_draft_pinning_a_version_never_learnt_is_refused_by_the_simulation(client, engine):  # noqa: F811
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    draft = {"version": 1, "reliability_version": 7, "strategies": [{"name": "s"}]}
    order = {"channel": "web", "destination": {"postal_code": "75011", "country": "FR"},
             "lines": [{"sku": "TSH-BLU-L", "quantity": 1}]}  # fmt: skip
    refused = client.post("/api/v1/routing/simulate", json={"orders": [order], "profiles": draft})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["profiles", "reliability_version"]


def test_a_profile_set_pinning_a_version_never_learnt_is_refused_at_save(client, pinned):  # noqa: F811
    before = client.get(PROFILES).json()["version"]
    refused = save(client, pinned + 1, {"late_risk": 20})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["reliability_version"]
    assert client.get(PROFILES).json()["version"] == before
