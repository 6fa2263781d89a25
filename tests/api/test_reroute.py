"""POST /orders/{id}/reroute: allocations given back and routed again without the nodes left out,
atomically, with the decision, the audit event and the capacity counters to match."""

import pytest

from oms.services.actor import Role
from tests.api.test_capture_routing import ORDERS, capture, decision, nodes_of, shipments_today
from tests.api.test_order_capture import reserved
from tests.factories import api_key, set_stock


def reroute(client, order: dict, **body):
    return client.post(f"{ORDERS}/{order['id']}/reroute", json={"note": "ops desk", **body})


def rerouted(client, order: dict, **body) -> dict:
    response = reroute(client, order, **body)
    assert response.status_code == 200, response.json()
    return response.json()


def events(client, order: dict) -> list[dict]:
    return client.get(f"{ORDERS}/{order['id']}/events").json()


@pytest.fixture
def at_paris(client, engine) -> dict:
    """An order shipped from the Paris store, the Lyon warehouse holding the same stock."""
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    order = capture(client, lines=[("TSH-BLU-L", 2)])
    assert nodes_of(order) == {"ST-PARIS"}
    return order


@pytest.fixture
def split(client, engine) -> dict:
    """An order in two shipments: line 1 from Lyon, line 2 from Köln."""
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 5)
    order = capture(client, "WEB-2", lines=[("TSH-BLU-L", 1), ("JKT-RED-M", 1)])
    assert [a["node_id"] for line in order["lines"] for a in line["allocations"]] == ["WH-LYON", "WH-KOELN"]
    return order


def test_a_manual_reroute_moves_the_order_off_the_excluded_node(client, engine, at_paris):
    result = rerouted(
        client, at_paris, reason="manual", exclude_nodes=["ST-PARIS"], note="store understaffed"
    )
    assert nodes_of(result["order"]) == {"WH-LYON"} and result["order"]["status"] == "allocated"
    assert result["released"] == [{"line_no": 1, "sku": "TSH-BLU-L", "quantity": 2, "node_id": "ST-PARIS"}]
    assert result["allocated"] == [{"line_no": 1, "sku": "TSH-BLU-L", "quantity": 2, "node_id": "WH-LYON"}]
    assert result["backordered"] == [] and "ST-PARIS" in result["summary"]
    assert reserved(engine, "ST-PARIS", "TSH-BLU-L") == 0 and reserved(engine, "WH-LYON", "TSH-BLU-L") == 2
    assert shipments_today(engine) == {"WH-LYON": 1}
    explained = decision(client, at_paris)
    assert explained["reason"] == "reroute:manual"
    paris = next(c for c in explained["decision"]["candidates"] if c["node_id"] == "ST-PARIS")
    assert (paris["filtered_by"], paris["reason"]) == ("excluded_nodes", "excluded by this reroute")
    event = events(client, at_paris)[-1]
    assert event["action"] == "order.rerouted" and event["actor"] == "test-ops-all"
    assert event["before"]["lines"][0]["allocations"] == [{"node_id": "ST-PARIS", "quantity": 2}]
    assert event["after"]["lines"][0]["allocations"] == [{"node_id": "WH-LYON", "quantity": 2}]
    assert event["after"]["reroute"]["note"] == "store understaffed"
    assert event["after"]["version"] == at_paris["version"] + 1


def test_a_node_outage_moves_one_shipment_and_leaves_the_others(client, engine, split):
    set_stock(engine, "WH-LYON", "JKT-RED-M", 5)
    result = rerouted(client, split, reason="node_outage", node_id="WH-KOELN", note="flooded")
    lines = result["order"]["lines"]
    assert [line["allocations"] for line in lines] == [[{"node_id": "WH-LYON", "quantity": 1}]] * 2
    assert result["released"] == [{"line_no": 2, "sku": "JKT-RED-M", "quantity": 1, "node_id": "WH-KOELN"}]
    assert reserved(engine, "WH-KOELN", "JKT-RED-M") == 0 and reserved(engine, "WH-LYON", "JKT-RED-M") == 1
    assert shipments_today(engine) == {"WH-LYON": 1}  # the order's other parcel took the jacket
    explained = decision(client, split)
    assert explained["reason"] == "reroute:node_outage"
    koeln = next(c for c in explained["decision"]["candidates"] if c["node_id"] == "WH-KOELN")
    assert koeln["filtered_by"] == "excluded_nodes" and "node outage" in koeln["reason"]


def test_an_outage_that_finds_nowhere_else_backorders_and_says_so(client, engine, split):
    result = rerouted(client, split, reason="node_outage", node_id="WH-KOELN")
    assert result["order"]["status"] == "partially_allocated"
    assert result["backordered"] == [{"line_no": 2, "sku": "JKT-RED-M", "quantity": 1}]
    assert "backordered" in result["summary"] and result["allocated"] == []
    assert reserved(engine, "WH-KOELN", "JKT-RED-M") == 0 and shipments_today(engine) == {"WH-LYON": 1}
    assert decision(client, split)["decision"]["plan"]["backorders"] == [
        {"line_no": 2, "sku": "JKT-RED-M", "quantity": 1}
    ]


def test_a_manual_reroute_that_would_backorder_is_refused_and_changes_nothing(client, engine, split):
    response = reroute(client, split, reason="manual", exclude_nodes=["WH-KOELN"])
    assert response.status_code == 409 and "nothing changed" in response.json()["detail"]
    assert client.get(f"{ORDERS}/{split['id']}").json() == split
    assert reserved(engine, "WH-KOELN", "JKT-RED-M") == 1 and shipments_today(engine) == {
        "WH-LYON": 1,
        "WH-KOELN": 1,
    }
    assert [d["reason"] for d in client.get(f"{ORDERS}/{split['id']}/routing-decisions").json()] == [
        "capture"
    ]
    assert events(client, split)[-1]["action"] != "order.rerouted"


def test_rerouting_chosen_lines_leaves_the_other_lines_alone(client, engine, split):
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    result = rerouted(client, split, reason="stock_discrepancy", node_id="WH-LYON", lines=[1])
    assert [line["allocations"] for line in result["order"]["lines"]] == [
        [{"node_id": "WH-KOELN", "quantity": 1}]
    ] * 2
    assert decision(client, split)["reason"] == "reroute:stock_discrepancy"


def test_a_shipment_topped_up_after_capture_moves_whole(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 1)
    order = capture(client, lines=[("TSH-BLU-L", 3)])
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5, reserved=1)
    client.post(f"{ORDERS}/{order['id']}/allocate", json={})  # a second allocation row at Lyon
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 3)
    result = rerouted(client, order, reason="node_outage", node_id="WH-LYON")
    assert result["released"] == [{"line_no": 1, "sku": "TSH-BLU-L", "quantity": 3, "node_id": "WH-LYON"}]
    assert result["order"]["lines"][0]["allocations"] == [{"node_id": "WH-KOELN", "quantity": 3}]
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 0


def test_a_manual_reroute_of_the_whole_order_also_routes_its_backorders(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 1)
    order = capture(client, lines=[("TSH-BLU-L", 3)])
    assert order["status"] == "partially_allocated"
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 3)
    result = rerouted(client, order, reason="manual")
    assert result["order"]["status"] == "allocated" and nodes_of(result["order"]) == {"WH-KOELN"}
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 0 and reserved(engine, "WH-KOELN", "TSH-BLU-L") == 3


def test_an_order_on_hold_is_rerouted_and_stays_on_hold(client, engine, at_paris):
    client.post(f"{ORDERS}/{at_paris['id']}/hold", json={"reason": "fraud check"})
    result = rerouted(client, at_paris, reason="node_outage", node_id="ST-PARIS")
    assert result["order"]["status"] == "on_hold" and nodes_of(result["order"]) == {"WH-LYON"}


def test_a_pickup_order_stays_at_its_collecting_store(client, engine):
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    order = capture(client, service_level="pickup", pickup_node_id="ST-PARIS")
    assert nodes_of(rerouted(client, order, reason="manual")["order"]) == {"ST-PARIS"}
    outage = rerouted(client, order, reason="node_outage", node_id="ST-PARIS")
    assert outage["order"]["status"] == "backordered" and reserved(engine, "WH-LYON", "TSH-BLU-L") == 0


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"reason": "manual", "note": ""}, "/note"),
        ({"reason": "sunspots"}, "/reason"),
        ({"reason": "node_outage"}, "/"),
        ({"reason": "manual", "lines": [9]}, "/lines/0"),
        ({"reason": "manual", "lines": []}, "/lines"),
        ({"reason": "manual", "exclude_nodes": ["WH-NOWHERE"]}, "/exclude_nodes/0"),
        ({"reason": "manual", "node_id": "ST-PARIS"}, "/node_id"),
        ({"reason": "manual", "node_id": "WH-KOELN", "lines": [1]}, "/node_id"),
        ({"reason": "manual", "surprise": 1}, "/surprise"),
    ],
)
def test_bad_reroutes_answer_422_and_change_nothing(client, engine, split, body, pointer):
    response = client.post(f"{ORDERS}/{split['id']}/reroute", json={"note": "x", **body})
    assert response.status_code == 422 and [e["pointer"] for e in response.json()["errors"]] == [pointer]
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get(f"{ORDERS}/{split['id']}").json() == split


def test_released_cancelled_and_unknown_orders_cannot_be_rerouted(client, engine, at_paris):
    cancelled = capture(client, "WEB-2")
    client.post(f"{ORDERS}/{cancelled['id']}/cancel", json={})
    assert reroute(client, cancelled, reason="manual").status_code == 409
    client.post(f"{ORDERS}/{at_paris['id']}/release", json={})
    response = reroute(client, at_paris, reason="manual")
    assert response.status_code == 409 and "released" in response.json()["detail"]
    assert reroute(client, {"id": 999999}, reason="manual").status_code == 404
    assert reserved(engine, "ST-PARIS", "TSH-BLU-L") == 2


def test_only_order_desks_of_the_orders_channel_may_reroute(client, engine, at_paris):
    channel_key = api_key(engine, Role.CHANNEL, channel_id="web")
    assert client.post(f"{ORDERS}/{at_paris['id']}/reroute", json={"reason": "manual", "note": "x"},
                       headers=channel_key).status_code == 403  # fmt: skip
    other_desk = api_key(engine, Role.OPS, channel_id="marketplace")
    response = client.post(f"{ORDERS}/{at_paris['id']}/reroute", json={"reason": "manual", "note": "x"},
                           headers=other_desk)  # fmt: skip
    assert response.status_code == 404
    viewer = api_key(engine, Role.VIEWER)
    assert client.post(f"{ORDERS}/{at_paris['id']}/reroute", json={"reason": "manual", "note": "x"},
                       headers=viewer).status_code == 403  # fmt: skip
    assert reserved(engine, "ST-PARIS", "TSH-BLU-L") == 2
