"""The delay model over HTTP: the stored versions, retraining (managers only; 409 when the history cannot
train), and the delay risk of open shipments per node or carrier. One demo database for the module: 30
days of history up to a Friday in March, long delivered by the default training window's end."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from oms.api.app import create_app
from oms.services.actor import Role
from oms.services.delay_risk import score_open_shipments
from oms.services.uow import UnitOfWork
from tests.factories import OPS, api_key
from tests.integration.test_delay_risk import load_demo_world

NOW = datetime(2026, 3, 13, 15, 0, tzinfo=UTC)
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def demo(_session_engine):
    return load_demo_world(_session_engine, 30, NOW)


@pytest.fixture(scope="module")
def client(demo):
    with TestClient(create_app(demo)) as c:
        yield c


def as_(demo, role: Role) -> dict[str, str]:
    return api_key(demo, role)


def test_a_viewer_reads_the_models_but_cannot_train(demo, client):
    assert client.get("/api/v1/ml/models", headers=as_(demo, Role.VIEWER)).json() == {"models": []}
    refused = client.post("/api/v1/ml/models/delay/train", headers=as_(demo, Role.VIEWER))
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert "models:train" in refused.json()["detail"]


def test_too_short_a_history_is_a_409_problem_and_stores_nothing(demo, client):
    since = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    refused = client.post(
        "/api/v1/ml/models/delay/train", json={"since": since}, headers=as_(demo, Role.MANAGER)
    )
    assert refused.status_code == 409 and refused.headers["content-type"] == PROBLEM
    assert "at least 200" in refused.json()["detail"]
    naive = client.post("/api/v1/ml/models/delay/train", json={"since": "2026-01-01T00:00:00"},
                        headers=as_(demo, Role.MANAGER))  # fmt: skip
    assert naive.status_code == 422 and naive.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/ml/models", headers=as_(demo, Role.MANAGER)).json() == {"models": []}


def test_a_manager_trains_a_version_that_the_model_list_shows_with_its_windows_and_metrics(demo, client):
    trained = client.post("/api/v1/ml/models/delay/train", headers=as_(demo, Role.MANAGER))
    assert trained.status_code == 201, trained.text
    body = trained.json()
    assert body["name"] == "delay" and body["version"] == 1 and body["rows"] >= 200
    assert body["train_from"] < body["validate_from"] < body["validate_to"] <= body["train_to"]
    assert {"roc_auc", "brier", "precision_at_100"} <= body["metrics"].keys() & body["metrics"][
        "baseline"
    ].keys()
    listed = client.get("/api/v1/ml/models", headers=as_(demo, Role.VIEWER)).json()["models"]
    assert [(m["name"], m["version"], m["metrics"]) for m in listed] == [("delay", 1, body["metrics"])]


def test_delay_risk_per_node_and_per_carrier_after_scoring(demo, client):
    if not client.get("/api/v1/ml/models", headers=as_(demo, Role.VIEWER)).json()["models"]:
        client.post("/api/v1/ml/models/delay/train", headers=as_(demo, Role.MANAGER))
    risks = score_open_shipments(UnitOfWork(demo), OPS, now=NOW)
    for by, key in (("node", "node_id"), ("carrier", "carrier")):
        view = client.get(f"/api/v1/anomalies/delay-risk?by={by}", headers=as_(demo, Role.VIEWER)).json()
        assert view["by"] == by and view["model_version"] == 1 and view["threshold"] == 0.5
        assert {g["key"]: g["shipments"] for g in view["groups"]} == count_by(risks, key)
        assert all(0 <= g["mean_p_late"] <= g["max_p_late"] <= 1 for g in view["groups"])


def test_delay_risk_is_grouped_by_node_or_carrier_only_and_not_shown_to_a_channel(demo, client):
    wrong = client.get("/api/v1/anomalies/delay-risk?by=sku", headers=as_(demo, Role.VIEWER))
    assert wrong.status_code == 422 and wrong.headers["content-type"] == PROBLEM
    channel = client.get("/api/v1/anomalies/delay-risk", headers=api_key(demo, Role.CHANNEL, "web"))
    assert channel.status_code == 403


def count_by(risks, attribute: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for risk in risks:
        counts[getattr(risk, attribute)] = counts.get(getattr(risk, attribute), 0) + 1
    return counts
