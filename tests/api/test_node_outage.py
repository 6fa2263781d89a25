"""POST /nodes/{id}/outage: the node stops fulfilling and every unreleased order allocated there is
rerouted, oldest first, each on its own; DELETE ends the outage."""

import pytest
from sqlalchemy import text

from oms.services import reroute_runs
from oms.services.actor import Role
from oms.services.errors import Conflict
from tests.api.test_capture_routing import ORDERS, capture, decision, nodes_of, shipments_today
from tests.api.test_order_capture import reserved
from tests.factories import api_key, order_body, set_stock

OUTAGE = "/api/v1/nodes/ST-PARIS/outage"


@pytest.fixture
def orders(client, engine) -> list[dict]:
    """Four one-unit orders from the Paris store, the last one released to fulfilment; one unit left in Lyon."""
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 4)
    placed = [capture(client, f"WEB-{i}") for i in range(4)]
    assert all(nodes_of(o) == {"ST-PARIS"} for o in placed)
    assert client.post(f"{ORDERS}/{placed[3]['id']}/release", json={}).status_code == 200
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 1)
    return placed


def order(client, placed: dict) -> dict:
    return client.get(f"{ORDERS}/{placed['id']}").json()


def test_an_outage_reroutes_unreleased_orders_oldest_first_and_leaves_released_ones(client, engine, orders):
    response = client.post(OUTAGE, json={"note": "flooded stock room"})
    assert response.status_code == 200, response.json()
    report = response.json()
    first, second, third, released = orders
    assert report["rerouted"] == [first["id"]] and report["backordered"] == [second["id"], third["id"]]
    assert report["failed"] == [] and report["node"]["active"] is False
    assert nodes_of(order(client, first)) == {"WH-LYON"}
    assert [order(client, o)["status"] for o in (second, third, released)] == [
        "backordered",
        "backordered",
        "released",
    ]
    assert reserved(engine, "ST-PARIS", "TSH-BLU-L") == 1 and reserved(engine, "WH-LYON", "TSH-BLU-L") == 1
    assert shipments_today(engine) == {"ST-PARIS": 1, "WH-LYON": 1}
    assert decision(client, first)["reason"] == "reroute:node_outage"
    event = client.get(f"{ORDERS}/{first['id']}/events").json()[-1]
    assert (event["action"], event["actor"], event["on_behalf_of"]) == (
        "order.rerouted",
        "node-outage",
        "test-ops-all",
    )
    assert event["after"]["reroute"]["note"] == "flooded stock room"


def test_orders_captured_during_an_outage_go_elsewhere(client, engine, orders):
    client.post(OUTAGE, json={"note": "power cut"})
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 10)  # the store holds plenty, but cannot ship it
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    assert nodes_of(capture(client, "AFTER")) == {"WH-KOELN"}
    pickup = client.post(ORDERS, json=order_body("PICKUP", service_level="pickup", pickup_node_id="ST-PARIS"))
    assert pickup.status_code == 422 and pickup.json()["errors"][0]["pointer"] == "/pickup_node_id"


def test_declaring_it_again_reroutes_only_what_is_still_there(client, engine, orders):
    client.post(OUTAGE, json={"note": "power cut"})
    again = client.post(OUTAGE, json={"note": "still down"}).json()
    assert (again["rerouted"], again["backordered"], again["failed"]) == ([], [], [])
    assert node_events(engine) == [("node.outage", "test-ops-all", "power cut")]  # it changed once


def node_events(engine) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT action, actor, after->>'note' FROM audit_events WHERE entity_type = 'node'"
                                 " ORDER BY id"))  # fmt: skip
        return [tuple(r) for r in rows]


def test_one_order_failing_does_not_stop_the_others(client, engine, orders, monkeypatch):
    reroute = reroute_runs.order_actions.reroute

    def refuse_the_first(uow, actor, order_id, cmd):
        if order_id == orders[0]["id"]:
            raise Conflict("order is being edited")
        return reroute(uow, actor, order_id, cmd)

    monkeypatch.setattr(reroute_runs.order_actions, "reroute", refuse_the_first)
    report = client.post(OUTAGE, json={"note": "power cut"}).json()
    assert report["failed"] == [{"order_id": orders[0]["id"], "reason": "order is being edited"}]
    assert report["rerouted"] == [orders[1]["id"]] and report["backordered"] == [orders[2]["id"]]
    assert nodes_of(order(client, orders[0])) == {"ST-PARIS"}


def test_ending_the_outage_puts_the_node_back(client, engine, orders):
    client.post(OUTAGE, json={"note": "power cut"})
    ended = client.delete(OUTAGE)
    assert ended.status_code == 200 and ended.json()["active"] is True
    assert client.get("/api/v1/nodes/ST-PARIS").json()["active"] is True
    assert client.delete(OUTAGE).status_code == 200  # already over: nothing changes
    assert [action for action, _, _ in node_events(engine)] == ["node.outage", "node.outage_ended"]


def test_outages_are_for_the_network_desk_only(client, engine, orders):
    assert client.post("/api/v1/nodes/NOWHERE/outage", json={"note": "x"}).status_code == 404
    response = client.post(OUTAGE, json={"note": " "})
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/note"
    for headers in (api_key(engine, Role.VIEWER), api_key(engine, Role.BACKOFFICE),
                    api_key(engine, Role.OPS, channel_id="web")):  # fmt: skip
        assert client.post(OUTAGE, json={"note": "x"}, headers=headers).status_code == 403
    assert client.get("/api/v1/nodes/ST-PARIS").json()["active"] is True
    assert reserved(engine, "ST-PARIS", "TSH-BLU-L") == 4
