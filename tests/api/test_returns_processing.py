"""Returned units through the API: receipt at any node, inspection and disposition (restock raises ATP
there, quarantine does not, write-off keeps the value), and what is refunded or credited."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.api.test_returns import RETURNS, rma
from tests.factories import api_key, order_body, set_stock
from tests.returns_factories import shipped_order

FEES = {"restocking_fee_percent": {"changed_mind": 10}, "shipping_fees": {"standard": 4.9, "express": 9.9},
        "store_credit_bonus_percent": 10}  # fmt: skip


@pytest.fixture
def order_id(client, engine) -> int:
    """A web order of 2 x TSH-BLU-L and 1 x JKT-RED-M at 19.90 each, shipped from WH-LYON, under a policy
    with a 10% restocking fee for a change of mind, 4.90 standard shipping, and a 10% store credit bonus."""
    policy = client.get("/api/v1/return-policies/web").json()["policy"] | FEES
    assert client.put("/api/v1/return-policies/web", json=policy).status_code == 200
    return shipped_order(engine, lines=[("TSH-BLU-L", 2), ("JKT-RED-M", 1)])


def authorised(client, order_id, *lines, resolution="refund", **extra) -> int:
    created = client.post(RETURNS, json=rma(order_id, *lines, resolution=resolution, **extra))
    assert created.status_code == 201, created.text
    return created.json()["id"]


def receive(client, return_id, node_id, *lines):
    return client.post(f"{RETURNS}/{return_id}/receipts",
                       json={"node_id": node_id, "lines": [{"line_no": n, "quantity": q} for n, q in lines]})


def inspect(client, return_id, node_id, *lines):
    """`lines` as (line_no, quantity, condition, disposition)."""
    body = {"node_id": node_id, "lines": [{"line_no": n, "quantity": q, "condition": c, "disposition": d}
                                          for n, q, c, d in lines]}  # fmt: skip
    return client.post(f"{RETURNS}/{return_id}/inspections", json=body)


def atp_at(client, node_id, sku="TSH-BLU-L") -> dict:
    nodes = client.get("/api/v1/atp", params={"sku": sku, "node": node_id}).json()["nodes"]
    return nodes[0] if nodes else {"on_hand": 0, "atp": 0}


def test_a_web_order_is_received_at_a_store_in_parts_and_never_beyond_what_was_authorised(client, engine, order_id):
    return_id = authorised(client, order_id, (1, 2, "too_small"))
    first = receive(client, return_id, "ST-PARIS", (1, 1))
    assert first.status_code == 200, first.text
    assert (first.json()["status"], first.json()["lines"][0]["received_quantity"]) == ("partially_received", 1)
    over = receive(client, return_id, "ST-PARIS", (1, 2))
    assert over.status_code == 422
    assert [(e["pointer"], e["code"]) for e in over.json()["errors"]] == [("/lines/0/quantity", "over_receipt")]
    assert receive(client, return_id, "NOWHERE", (1, 1)).json()["errors"][0]["code"] == "unknown_node"
    assert client.get(f"{RETURNS}/{return_id}").json()["lines"][0]["received_quantity"] == 1  # unchanged
    second = receive(client, return_id, "WH-LYON", (1, 1)).json()
    assert second["status"] == "received"
    assert [(r["node_id"], r["quantity"]) for r in second["receipts"]] == [("ST-PARIS", 1), ("WH-LYON", 1)]
    with engine.connect() as conn:
        published = conn.execute(text("SELECT count(*) FROM outbox WHERE event_type = 'return.received'")).scalar()
    assert published == 2


def test_restocked_units_raise_on_hand_and_atp_at_the_receiving_store(client, order_id):
    assert atp_at(client, "ST-PARIS") == {"on_hand": 0, "atp": 0}  # the store never carried the SKU
    return_id = authorised(client, order_id, (1, 2, "too_small"))
    receive(client, return_id, "ST-PARIS", (1, 2))
    inspected = inspect(client, return_id, "ST-PARIS", (1, 2, "new", "restock"))
    assert inspected.status_code == 200, inspected.text
    assert inspected.json()["status"] == "inspected"
    position = atp_at(client, "ST-PARIS")
    assert (position["on_hand"], position["atp"]) == (2, 2)
    assert atp_at(client, "WH-LYON")["on_hand"] == 0  # shipped from there, returned elsewhere


def test_quarantined_units_are_counted_but_not_promised_until_released(client, order_id):
    return_id = authorised(client, order_id, (1, 2, "not_as_described"))
    receive(client, return_id, "ST-PARIS", (1, 2))
    inspect(client, return_id, "ST-PARIS", (1, 2, "opened", "quarantine"))
    assert atp_at(client, "ST-PARIS") == {"on_hand": 0, "atp": 0}
    held = client.get("/api/v1/quarantine", params={"node": "ST-PARIS"}).json()
    assert [(q["sku"], q["quantity"]) for q in held] == [("TSH-BLU-L", 2)]
    released = client.post("/api/v1/quarantine/ST-PARIS/TSH-BLU-L/release", json={"quantity": 1, "reason": "repacked"})
    assert released.json()["quantity"] == 1
    assert atp_at(client, "ST-PARIS")["atp"] == 1
    too_many = client.post("/api/v1/quarantine/ST-PARIS/TSH-BLU-L/write-off", json={"quantity": 2, "reason": "torn"})
    assert too_many.status_code == 422
    written = client.post("/api/v1/quarantine/ST-PARIS/TSH-BLU-L/write-off", json={"quantity": 1, "reason": "torn"})
    assert written.json()["quantity"] == 0
    [write_off] = client.get("/api/v1/write-offs", params={"node": "ST-PARIS"}).json()
    assert (write_off["source"], write_off["quantity"], write_off["value"]) == ("quarantine", 1, 19.9)  # catalogue


def test_written_off_units_keep_the_price_paid_and_stay_out_of_stock(client, order_id):
    return_id = authorised(client, order_id, (2, 1, "defective"))
    receive(client, return_id, "WH-LYON", (2, 1))
    inspect(client, return_id, "WH-LYON", (2, 1, "defective", "write_off"))
    [write_off] = client.get("/api/v1/write-offs", params={"return_id": return_id}).json()
    assert (write_off["sku"], write_off["value"], write_off["currency"]) == ("JKT-RED-M", 19.9, "EUR")
    assert atp_at(client, "WH-LYON", "JKT-RED-M")["on_hand"] == 0


def test_inspection_is_refused_beyond_what_arrived_at_that_node(client, order_id):
    return_id = authorised(client, order_id, (1, 2, "too_small"))
    receive(client, return_id, "ST-PARIS", (1, 1))
    elsewhere = inspect(client, return_id, "WH-LYON", (1, 1, "new", "restock"))
    assert elsewhere.json()["errors"][0]["code"] == "over_inspection"
    twice = inspect(client, return_id, "ST-PARIS", (1, 1, "new", "restock"), (1, 1, "opened", "quarantine"))
    assert (twice.status_code, twice.json()["errors"][0]["pointer"]) == (422, "/lines/1/quantity")
    assert client.get(f"{RETURNS}/{return_id}").json()["inspections"] == []


def test_a_change_of_mind_is_refunded_less_the_restocking_fee_on_inspection(client, order_id):
    return_id = authorised(client, order_id, (1, 2, "changed_mind"))
    received = receive(client, return_id, "WH-LYON", (1, 2)).json()
    assert received["refunds"] == []  # refunded once inspected
    inspected = inspect(client, return_id, "WH-LYON", (1, 2, "opened", "restock")).json()
    [refund] = inspected["refunds"]
    assert (refund["method"], refund["status"], refund["amount"], refund["currency"]) == (
        "original_payment", "issued", 35.82, "EUR")
    assert (refund["breakdown"]["merchandise"], refund["breakdown"]["restocking_fee"], refund["shipping"]) == (
        39.8, 3.98, 0)
    assert client.get("/api/v1/refunds", params={"order_id": order_id}).json()["items"] == [refund]


def test_the_retailer_at_fault_pays_no_fee_and_refunds_the_shipping_once(client, order_id):
    first = authorised(client, order_id, (2, 1, "wrong_item"))
    receive(client, first, "WH-LYON", (2, 1))
    [refund] = inspect(client, first, "WH-LYON", (2, 1, "new", "restock")).json()["refunds"]
    assert (refund["amount"], refund["shipping"], refund["breakdown"]["restocking_fee"]) == (24.8, 4.9, 0)
    second = authorised(client, order_id, (1, 1, "defective"))
    receive(client, second, "WH-LYON", (1, 1))
    [again] = inspect(client, second, "WH-LYON", (1, 1, "defective", "write_off")).json()["refunds"]
    assert (again["amount"], again["shipping"]) == (19.9, 0)


def test_a_unit_the_customer_damaged_is_not_refunded(client, order_id):
    return_id = authorised(client, order_id, (1, 2, "too_large"))
    receive(client, return_id, "WH-LYON", (1, 2))
    body = inspect(client, return_id, "WH-LYON", (1, 1, "new", "restock"), (1, 1, "damaged", "write_off")).json()
    assert [i["refundable"] for i in body["inspections"]] == [True, False]
    assert [r["amount"] for r in body["refunds"]] == [19.9]
    assert body["lines"][0]["settled_quantity"] == 1


def test_store_credit_is_issued_with_its_bonus_and_builds_a_balance(client, engine, order_id):
    return_id = authorised(client, order_id, (1, 2, "too_small"), resolution="store_credit")
    receive(client, return_id, "ST-PARIS", (1, 2))
    [credit] = inspect(client, return_id, "ST-PARIS", (1, 2, "new", "restock")).json()["refunds"]
    assert (credit["method"], credit["amount"], credit["breakdown"]["bonus"]) == ("store_credit", 43.78, 3.98)
    customer_id = credit["customer_id"]
    ledger = client.get(f"/api/v1/customers/{customer_id}/store-credit").json()
    assert ledger["balances"] == [{"currency": "EUR", "balance": 43.78}]
    assert ledger["entries"][0]["refund_id"] == credit["id"]
    adjustments = f"/api/v1/customers/{customer_id}/store-credit/adjustments"
    too_much = client.post(adjustments, json={"amount": -50, "note": "checkout"})
    assert (too_much.status_code, too_much.json()["errors"][0]["code"]) == (422, "over_balance")
    spent = client.post(adjustments, json={"amount": -40, "note": "checkout W-2"}).json()
    assert spent["balances"] == [{"currency": "EUR", "balance": 3.78}]
    with engine.connect() as conn:
        kinds = conn.execute(text("SELECT event_type FROM outbox WHERE event_type IN ('refund.issued',"
                                  " 'store_credit.issued') ORDER BY id")).scalars().all()  # fmt: skip
    assert kinds == ["refund.issued", "store_credit.issued"]


def test_a_whole_order_back_refunds_its_shipping(client, order_id):
    return_id = authorised(client, order_id, (1, 2, "too_small"), (2, 1, "too_small"))
    receive(client, return_id, "WH-LYON", (1, 2), (2, 1))
    [refund] = inspect(client, return_id, "WH-LYON", (1, 2, "new", "restock"), (2, 1, "new", "restock")).json()["refunds"]
    assert (refund["amount"], refund["shipping"]) == (64.6, 4.9)


def test_a_low_value_return_is_refunded_on_receipt_when_the_policy_says_so(client, engine):
    policy = client.get("/api/v1/return-policies/web").json()["policy"] | {"refund_on_receipt_up_to": 25}
    client.put("/api/v1/return-policies/web", json=policy)
    order = shipped_order(engine, lines=[("TSH-BLU-L", 2)])
    return_id = authorised(client, order, (1, 1, "too_small"))
    [refund] = receive(client, return_id, "ST-PARIS", (1, 1)).json()["refunds"]
    assert refund["amount"] == 19.9
    inspected = inspect(client, return_id, "ST-PARIS", (1, 1, "opened", "restock")).json()
    assert len(inspected["refunds"]) == 1  # not twice


def test_closing_needs_every_arrived_unit_inspected_and_lets_the_rest_lapse(client, order_id):
    return_id = authorised(client, order_id, (1, 2, "too_small"))
    receive(client, return_id, "WH-LYON", (1, 1))
    assert client.post(f"{RETURNS}/{return_id}/close", json={}).status_code == 409
    inspect(client, return_id, "WH-LYON", (1, 1, "new", "restock"))
    closed = client.post(f"{RETURNS}/{return_id}/close", json={"reason": "customer kept one"})
    assert closed.json()["status"] == "closed"
    assert receive(client, return_id, "WH-LYON", (1, 1)).status_code == 409
    assert client.post(RETURNS, json=rma(order_id, (1, 1, "too_small"))).status_code == 201  # the lapsed unit


def test_a_channel_key_reaches_the_store_credit_of_its_own_customers_only(client, engine, order_id):
    """Customers are shared across channels; a channel key acts on those who ordered through it."""
    credit = f"/api/v1/customers/{customer_of(engine, order_id)}/store-credit"
    client.post(f"{credit}/adjustments", json={"amount": 10, "note": "goodwill"})
    marketplace, web = api_key(engine, Role.CHANNEL, "marketplace"), api_key(engine, Role.CHANNEL, "web")
    assert client.get(credit, headers=marketplace).status_code == 404
    taken = client.post(f"{credit}/adjustments", json={"amount": -10, "note": "checkout"}, headers=marketplace)
    assert taken.status_code == 404
    assert client.get(credit, headers=web).json()["balances"] == [{"currency": "EUR", "balance": 10.0}]
    assert client.post(f"{credit}/adjustments", json={"amount": -4, "note": "W-2"}, headers=web).status_code == 200


def customer_of(engine, order_id: int) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT customer_id FROM orders WHERE id = :id"), {"id": order_id}).scalar_one()


def test_returning_all_that_shipped_of_a_partly_shipped_order_keeps_its_shipping(client, engine):
    """The jacket is backordered, so the shirts are not the whole order: their shipping stays paid."""
    policy = client.get("/api/v1/return-policies/web").json()["policy"] | FEES
    client.put("/api/v1/return-policies/web", json=policy)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 2)
    order = client.post("/api/v1/orders", json=order_body("WEB-PART", [("TSH-BLU-L", 2), ("JKT-RED-M", 1)])).json()
    assert order["status"] == "partially_allocated"
    assert client.post(f"/api/v1/orders/{order['id']}/release").status_code == 200
    [fo] = client.get("/api/v1/fulfilment-orders", params={"order": order["id"]}).json()["items"]
    assert client.post("/api/v1/wms/events", json={"event_id": "ship-part", "fulfilment_order_id": fo["id"],
                       "type": "shipped", "occurred_at": datetime.now(UTC).isoformat(),
                       "carrier": "colissimo"}).status_code == 201  # fmt: skip
    return_id = authorised(client, order["id"], (1, 2, "too_small"))
    receive(client, return_id, "WH-LYON", (1, 2))
    [refund] = inspect(client, return_id, "WH-LYON", (1, 2, "new", "restock")).json()["refunds"]
    assert (refund["amount"], refund["shipping"]) == (39.8, 0)
