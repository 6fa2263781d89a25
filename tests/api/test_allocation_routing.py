"""Backorders allocated again and lines an edit changes are routed by the engine like capture, prefer the
nodes already shipping the order, and each routing is stored as a decision."""

from sqlalchemy import update

from oms.db.tables import nodes
from tests.api.test_capture_routing import ORDERS, capture, decision, nodes_of, shipments_today
from tests.api.test_order_capture import reserved
from tests.factories import order_body, set_stock

KOELN = order_body()["ship_to"] | {
    "line1": "Domkloster 4",
    "postal_code": "50667",
    "city": "Köln",
    "country": "DE",
}


def allocate(client, order: dict) -> dict:
    response = client.post(f"{ORDERS}/{order['id']}/allocate", json={})
    assert response.status_code == 200, response.json()
    return response.json()


def line_nodes(order: dict, line_no: int) -> set[str]:
    return {a["node_id"] for a in order["lines"][line_no - 1]["allocations"]}


def test_backorders_go_to_the_cheapest_node_not_the_first_by_priority(client, engine):
    order = capture(client, lines=[("JKT-RED-M", 2)])
    assert order["status"] == "backordered"
    set_stock(engine, "WH-LYON", "JKT-RED-M", 5)
    set_stock(engine, "ST-PARIS", "JKT-RED-M", 5)  # next door to the Paris customer
    after = allocate(client, order)
    assert after["status"] == "allocated" and nodes_of(after) == {"ST-PARIS"}
    assert reserved(engine, "ST-PARIS", "JKT-RED-M") == 2 and reserved(engine, "WH-LYON", "JKT-RED-M") == 0
    explained = decision(client, order)
    assert explained["reason"] == "allocate" and explained["actor"] == "test-ops-all"
    assert [s["node_id"] for s in explained["decision"]["plan"]["shipments"]] == ["ST-PARIS"]
    assert shipments_today(engine) == {"ST-PARIS": 1}


def test_a_top_up_goes_to_a_node_already_shipping_the_order_when_it_can_take_it_all(client, engine):
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    order = capture(client, lines=[("TSH-BLU-L", 1), ("JKT-RED-M", 1)])
    assert nodes_of(order) == {"WH-KOELN"} and order["status"] == "partially_allocated"
    set_stock(engine, "ST-PARIS", "JKT-RED-M", 5)  # the cheaper node for the jacket alone
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 5)
    after = allocate(client, order)
    assert line_nodes(after, 2) == {"WH-KOELN"} and after["status"] == "allocated"
    assert shipments_today(engine) == {"WH-KOELN": 1}  # one parcel, one shipment of capacity
    explained = decision(client, order)["decision"]
    assert explained["attempts"][-1]["strategy"] == "order-nodes"
    assert "1 from ST-PARIS" in explained["attempts"][-1]["outcome"]  # what a fresh plan would have done
    verdicts = {c["node_id"]: c for c in explained["candidates"]}
    assert verdicts["WH-KOELN"]["chosen"] and not verdicts["ST-PARIS"]["chosen"]


def test_a_node_already_shipping_the_order_takes_more_of_it_even_with_no_capacity_left(client, engine):
    with engine.begin() as conn:
        conn.execute(update(nodes).where(nodes.c.id == "WH-KOELN").values(daily_capacity=1))
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    order = capture(client, lines=[("TSH-BLU-L", 1), ("JKT-RED-M", 1)])
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 5)
    assert line_nodes(allocate(client, order), 2) == {"WH-KOELN"}
    assert shipments_today(engine) == {"WH-KOELN": 1}
    # decided by the first strategy, which requires capacity: the node has what this order needs
    assert decision(client, order)["decision"]["strategy"] == "one-shipment"


def test_the_engine_plan_wins_when_the_orders_nodes_cannot_take_it_all(client, engine):
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    order = capture(client, lines=[("TSH-BLU-L", 1), ("JKT-RED-M", 3)])
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 1)
    set_stock(engine, "ST-PARIS", "JKT-RED-M", 3)
    after = allocate(client, order)
    assert after["lines"][1]["allocations"] == [{"node_id": "ST-PARIS", "quantity": 3}]
    assert "order-nodes" not in [a["strategy"] for a in decision(client, order)["decision"]["attempts"]]


def test_a_pickup_order_allocates_again_at_its_collecting_store_only(client, engine):
    order = capture(client, lines=[("JKT-RED-M", 1)], service_level="pickup", pickup_node_id="ST-PARIS")
    set_stock(engine, "WH-LYON", "JKT-RED-M", 5)
    assert allocate(client, order)["status"] == "backordered"
    set_stock(engine, "ST-PARIS", "JKT-RED-M", 1)
    assert nodes_of(allocate(client, order)) == {"ST-PARIS"}
    attempts = decision(client, order)["decision"]["attempts"]
    assert attempts == [
        {"strategy": "pickup", "outcome": "reserves 1 of 1 units at the collecting store ST-PARIS"}
    ]


def test_allocating_an_order_with_nothing_missing_routes_nothing(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    order = capture(client)
    allocate(client, order)
    history = client.get(f"{ORDERS}/{order['id']}/routing-decisions").json()
    assert [d["reason"] for d in history] == ["capture"]


def test_an_edit_routes_the_changed_lines_to_the_new_address(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 10)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 10)
    order = capture(client, lines=[("TSH-BLU-L", 1)])
    assert nodes_of(order) == {"WH-LYON"}
    edited = client.patch(f"{ORDERS}/{order['id']}", json={
        "ship_to": KOELN, "set_quantities": [{"line_no": 1, "quantity": 2}]})  # fmt: skip
    assert edited.status_code == 200, edited.json()
    assert edited.json()["lines"][0]["allocations"] == [{"node_id": "WH-KOELN", "quantity": 2}]
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 0 and reserved(engine, "WH-KOELN", "TSH-BLU-L") == 2
    assert shipments_today(engine) == {"WH-KOELN": 1}
    history = client.get(f"{ORDERS}/{order['id']}/routing-decisions").json()
    assert [d["reason"] for d in history] == ["edit", "capture"]


def test_an_added_line_joins_the_parcel_the_order_already_ships(client, engine):
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    order = capture(client, lines=[("TSH-BLU-L", 1)])
    set_stock(engine, "ST-PARIS", "JKT-RED-M", 5)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 5)
    edited = client.patch(f"{ORDERS}/{order['id']}",
                          json={"add_lines": [{"sku": "JKT-RED-M", "quantity": 1, "unit_price": 89}]}).json()  # fmt: skip
    assert nodes_of(edited) == {"WH-KOELN"} and edited["status"] == "allocated"


def test_an_address_only_edit_routes_nothing(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    order = capture(client)
    assert client.patch(f"{ORDERS}/{order['id']}", json={"ship_to": KOELN}).status_code == 200
    history = client.get(f"{ORDERS}/{order['id']}/routing-decisions").json()
    assert [d["reason"] for d in history] == ["capture"]
