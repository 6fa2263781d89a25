"""A stock count that leaves fewer units than orders reserved reroutes the newest of those orders away
from the node until the rest fit; released orders keep theirs."""

import pytest

from oms.services.inventory import InventoryRow, set_inventory_batch
from oms.services.uow import UnitOfWork
from tests.api.test_capture_routing import ORDERS, capture, decision, nodes_of
from tests.api.test_order_capture import reserved
from tests.factories import OPS, set_stock

POSITION = "/api/v1/inventory/WH-LYON/TSH-BLU-L"


@pytest.fixture
def orders(client, engine) -> list[dict]:
    """Three one-unit orders from Lyon, oldest first; one unit in Köln."""
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    placed = [capture(client, f"WEB-{i}") for i in range(3)]
    assert all(nodes_of(o) == {"WH-LYON"} for o in placed)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 1, reserved=0)
    return placed


def count(client, on_hand: int, safety_stock: int = 0) -> dict:
    response = client.put(POSITION, json={"on_hand": on_hand, "safety_stock": safety_stock})
    assert response.status_code == 200, response.json()
    return response.json()


def node_of(client, order: dict) -> set[str]:
    return nodes_of(client.get(f"{ORDERS}/{order['id']}").json())


def test_a_short_count_reroutes_the_newest_orders_until_the_rest_fit(client, engine, orders):
    _, middle, newest = orders
    counted = count(client, on_hand=1)
    assert (counted["on_hand"], counted["reserved"], counted["atp"]) == (1, 1, 0)
    assert counted["reroutes"] == {"rerouted": [newest["id"]], "backordered": [middle["id"]], "failed": []}
    assert [node_of(client, o) for o in orders] == [{"WH-LYON"}, set(), {"WH-KOELN"}]
    assert reserved(engine, "WH-KOELN", "TSH-BLU-L") == 1
    explained = decision(client, newest)
    assert explained["reason"] == "reroute:stock_discrepancy" and explained["actor"] == "stock-count"
    event = client.get(f"{ORDERS}/{newest['id']}/events").json()[-1]
    assert (event["action"], event["on_behalf_of"]) == ("order.rerouted", "test-ops-all")
    assert "stock count at WH-LYON" in event["after"]["reroute"]["note"]


def test_raising_safety_stock_above_what_is_free_counts_too(client, engine, orders):
    counted = count(client, on_hand=5, safety_stock=3)
    assert counted["reserved"] == 2 and counted["reroutes"]["rerouted"] == [orders[2]["id"]]


def test_a_count_that_still_covers_the_reservations_reroutes_nothing(client, engine, orders):
    counted = count(client, on_hand=3)
    assert counted["reserved"] == 3 and counted["reroutes"] == {
        "rerouted": [],
        "backordered": [],
        "failed": [],
    }
    history = client.get(f"{ORDERS}/{orders[2]['id']}/routing-decisions").json()
    assert [d["reason"] for d in history] == ["capture"]


def test_orders_released_to_fulfilment_keep_their_units(client, engine, orders):
    for order in orders:
        client.post(f"{ORDERS}/{order['id']}/release", json={})
    counted = count(client, on_hand=1)
    assert counted["reserved"] == 3 and counted["reroutes"]["rerouted"] == []


def test_a_stock_import_settles_the_positions_it_leaves_over_reserved(client, engine, orders):
    rows = [InventoryRow(node_id="WH-LYON", sku="TSH-BLU-L", on_hand=2, safety_stock=0)]
    assert set_inventory_batch(UnitOfWork(engine), OPS, rows) == 1
    assert reserved(engine, "WH-LYON", "TSH-BLU-L") == 2
    assert node_of(client, orders[2]) == {"WH-KOELN"} and node_of(client, orders[0]) == {"WH-LYON"}
