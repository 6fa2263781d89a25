"""GET /routing/reliability: pages of the latest learnt cells with their node reliability, filtered by
node, carrier, region and service level; 404 before the first learning, 403 without routing:read."""

from datetime import UTC, datetime

import pytest

from oms.domain.routing.reliability import DeliveryFact
from oms.domain.routing.reliability_learning import learn_reliability
from oms.services.actor import Actor, Role
from oms.services.delay_models_store import store_model
from oms.services.routing_reliability import RELIABILITY
from oms.services.uow import UnitOfWork
from tests.factories import api_key

URL = "/api/v1/routing/reliability"
AT = datetime(2026, 11, 1, tzinfo=UTC)


def history() -> list[DeliveryFact]:
    """Two nodes, two carriers, three Paris and Corsica lanes: GLS into Corsica late half the time."""
    rows = [("WH-1", "warehouse", "DHL", "FR-75", 200, 190), ("WH-1", "warehouse", "GLS", "FR-75", 100, 90),
            ("ST-1", "store", "GLS", "FR-20", 40, 20), ("ST-1", "store", "GLS", "FR-75", 10, 8)]  # fmt: skip
    return [
        DeliveryFact(
            node, kind, carrier, region, "standard", i < on_time, 2, False, kind == "store" and i < 5
        )
        for node, kind, carrier, region, n, on_time in rows
        for i in range(n)
    ]


@pytest.fixture
def learnt(client, engine):
    uow = UnitOfWork(engine)
    window = {"train_from": AT, "train_to": AT, "validate_from": AT, "validate_to": AT}
    with uow:
        store_model(uow, Actor(name="test", role=Role.MANAGER), RELIABILITY, learn_reliability(history()),
                    {"trained_at": AT, **window, "rows": 350}, {"shipments": 350})  # fmt: skip
        uow.commit()
    return client


def test_before_any_learning_there_is_nothing_to_read(client):
    missing = client.get(URL)
    assert missing.status_code == 404 and "oms routing learn" in missing.json()["detail"]


def test_the_cells_filtered_by_carrier_and_region_with_their_nodes(learnt):
    page = learnt.get(URL, params={"carrier": "GLS", "region": "FR-20"}).json()
    assert page["version"] == 1 and page["next_cursor"] is None
    [cell] = page["items"]
    assert (cell["node"], cell["shipments"], cell["transit_p50"]) == ("ST-1", 40, 2)
    assert cell["on_time"] < page["network_on_time"] - 0.2
    store = next(n for n in page["nodes"] if n["node"] == "ST-1")
    assert (
        store["late_handover_rate"] > 0.05 and store["node_type"] == "store" and store["lane_odds_ratio"] < 1
    )
    only_store = learnt.get(URL, params={"node": "ST-1"}).json()
    assert [n["node"] for n in only_store["nodes"]] == ["ST-1"] and len(only_store["items"]) == 2


def test_pages_follow_the_cursor_to_the_end(learnt):
    first = learnt.get(URL, params={"limit": 3}).json()
    rest = learnt.get(URL, params={"limit": 3, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 3 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    keys = [(c["node"], c["carrier"], c["region"]) for c in first["items"] + rest["items"]]
    assert keys == sorted(keys) and len(set(keys)) == 4


def test_a_forged_cursor_is_a_422_and_a_carrier_key_a_403(learnt, engine):
    assert learnt.get(URL, params={"cursor": "bm90LWEta2V5"}).status_code == 422
    refused = learnt.get(URL, headers=api_key(engine, Role.CARRIER))
    assert refused.status_code == 403 and "routing:read" in refused.json()["detail"]
