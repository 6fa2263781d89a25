"""Exchanges: a return that captures its replacement order, linked both ways, reserving stock."""

from sqlalchemy import text

from tests.api.test_returns import RETURNS, rma
from tests.api.test_returns_processing import inspect, receive
from tests.factories import set_stock
from tests.returns_factories import shipped_order


def exchange(order_id: int, sku="TSH-BLU-M", quantity=1, **line) -> dict:
    return rma(order_id, (1, 1, "too_large"), resolution="exchange",
               exchange_lines=[{"sku": sku, "quantity": quantity, **line}])


def test_an_exchange_captures_a_linked_order_that_reserves_the_replacement(client, engine):
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 2)])
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    created = client.post(RETURNS, json=exchange(order_id))
    assert created.status_code == 201, created.text
    ret = created.json()
    new_id = ret["exchange_order_id"]
    new = client.get(f"/api/v1/orders/{new_id}").json()
    assert (new["channel"], new["external_id"], new["status"]) == ("web", f"{ret['rma_number']}-EX", "allocated")
    assert new["customer"]["email"] == "camille.martin@example.fr" and new["ship_to"]["postal_code"] == "75011"
    assert [(line["sku"], line["quantity"], line["unit_price"], line["allocations"]) for line in new["lines"]] == [
        ("TSH-BLU-M", 1, 19.9, [{"node_id": "WH-LYON", "quantity": 1}])]
    assert ret["rma_number"] in new["notes"]
    position = client.get("/api/v1/atp", params={"sku": "TSH-BLU-M", "node": "WH-LYON"}).json()["nodes"][0]
    assert (position["reserved"], position["atp"]) == (1, 4)
    assert [r["id"] for r in client.get(f"/api/v1/orders/{new_id}/returns").json()] == [ret["id"]]
    events = [e["action"] for e in client.get(f"/api/v1/orders/{new_id}/events").json()]
    assert events[0] == "order.created" and "order.exchange_created" in events


def test_the_returned_units_pay_for_the_exchange_and_only_the_rest_is_refunded(client, engine):
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 2)])
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    ret = client.post(RETURNS, json=exchange(order_id, unit_price=15)).json()
    receive(client, ret["id"], "WH-LYON", (1, 1))
    [settled] = inspect(client, ret["id"], "WH-LYON", (1, 1, "new", "restock")).json()["refunds"]
    assert (settled["breakdown"]["exchange_paid"], settled["amount"]) == (15, 4.9)


def test_an_exchange_worth_more_than_the_returned_units_is_refused_and_captures_nothing(client, engine):
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 2)])
    refused = client.post(RETURNS, json=exchange(order_id, sku="JKT-RED-M"))  # 89.00 in the catalogue
    assert (refused.status_code, refused.json()["errors"][0]["code"]) == (422, "worth_more")
    unknown = client.post(RETURNS, json=exchange(order_id, sku="NOPE"))
    assert unknown.json()["errors"][0]["pointer"] == "/exchange_lines/0/sku"
    twice = rma(order_id, (1, 2, "too_large"), resolution="exchange",
                exchange_lines=[{"sku": "TSH-BLU-M", "quantity": 1}, {"sku": "TSH-BLU-M", "quantity": 1}])  # fmt: skip
    repeated = client.post(RETURNS, json=twice)  # an order has one line per SKU: its capture would fail
    assert (repeated.status_code, repeated.json()["errors"][0]["pointer"]) == (422, "/exchange_lines/1/sku")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM orders")).scalar() == 1
        assert conn.execute(text("SELECT count(*) FROM returns")).scalar() == 0


def test_cancelling_an_exchange_return_cancels_its_replacement_order(client, engine):
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 2)])
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    ret = client.post(RETURNS, json=exchange(order_id)).json()
    client.post(f"{RETURNS}/{ret['id']}/cancel", json={"reason": "changed my mind again"})
    assert client.get(f"/api/v1/orders/{ret['exchange_order_id']}").json()["status"] == "cancelled"
    position = client.get("/api/v1/atp", params={"sku": "TSH-BLU-M", "node": "WH-LYON"}).json()["nodes"][0]
    assert position["reserved"] == 0


def test_an_exchange_order_cancelled_before_it_ships_pays_for_nothing(client, engine):
    """The replacement never left (no stock, then cancelled): the returned units are refunded in full,
    not kept to pay for an order the customer will not get."""
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 2)])
    ret = client.post(RETURNS, json=exchange(order_id)).json()  # TSH-BLU-M has no stock: backordered
    assert client.post(f"/api/v1/orders/{ret['exchange_order_id']}/cancel", json={"reason": "none left"}).status_code == 200
    receive(client, ret["id"], "WH-LYON", (1, 1))
    [settled] = inspect(client, ret["id"], "WH-LYON", (1, 1, "new", "restock")).json()["refunds"]
    assert (settled["breakdown"]["exchange_paid"], settled["amount"]) == (0, 19.9)
