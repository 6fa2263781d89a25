"""Idempotent RMA creation: a storefront retrying a return request with its own reference (external_id)
gets the RMA authorised the first time, and nothing more is stored; the reference reused for another
request is a 409; without a reference nothing changes."""

from sqlalchemy import text

from tests.api.test_returns import RETURNS, rma
from tests.api.test_returns_exchange import exchange
from tests.factories import set_stock
from tests.returns_factories import shipped_order


def stored(engine) -> dict:
    """What authorising stores: returns, their lines, audit events and outbox messages about returns,
    and orders (an exchange's replacement)."""
    with engine.connect() as conn:
        return conn.execute(text(
            """
            SELECT (SELECT count(*) FROM returns) AS returns, (SELECT count(*) FROM return_lines) AS lines,
                   (SELECT count(*) FROM audit_events WHERE entity_type = 'return') AS events,
                   (SELECT count(*) FROM outbox WHERE event_type LIKE 'return.%') AS messages,
                   (SELECT count(*) FROM orders) AS orders
            """
        )).mappings().one()  # fmt: skip


def test_a_retry_answers_200_with_the_rma_authorised_first_and_stores_nothing_more(client, engine):
    order_id = shipped_order(engine)
    body = rma(order_id, (1, 1, "too_small"), external_id="SHOP-R-1001")
    first = client.post(RETURNS, json=body)
    assert first.status_code == 201, first.text
    assert first.json()["external_id"] == "SHOP-R-1001"
    after_first = stored(engine)
    assert dict(after_first) == {"returns": 1, "lines": 1, "events": 1, "messages": 1, "orders": 1}
    again = client.post(RETURNS, json=body)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert stored(engine) == after_first
    found = client.get(RETURNS, params={"external_id": "SHOP-R-1001"}).json()["items"]
    assert [(r["id"], r["external_id"]) for r in found] == [(first.json()["id"], "SHOP-R-1001")]
    assert client.get(RETURNS, params={"external_id": "SHOP-R-9"}).json()["items"] == []


def test_a_retry_answers_the_rma_as_it_is_now(client, engine):
    order_id = shipped_order(engine)
    body = rma(order_id, external_id="SHOP-R-1")
    created = client.post(RETURNS, json=body).json()
    moved = client.post(f"{RETURNS}/{created['id']}/in-transit", json={"tracking_number": "6A123"})
    assert moved.status_code == 200, moved.text
    again = client.post(RETURNS, json=body)
    assert (again.status_code, again.json()["status"], again.json()["version"]) == (200, "in_transit",
                                                                                    moved.json()["version"])


def test_the_same_reference_with_other_content_is_a_409_that_changes_nothing(client, engine):
    order_id = shipped_order(engine)
    other_order = shipped_order(engine, "WEB-2")
    assert client.post(RETURNS, json=rma(order_id, (1, 1, "too_small"), external_id="SHOP-R-7")).status_code == 201
    before = stored(engine)
    for body in (rma(order_id, (1, 2, "too_small"), external_id="SHOP-R-7"),
                 rma(order_id, (1, 1, "too_large"), external_id="SHOP-R-7"),
                 rma(other_order, (1, 1, "too_small"), external_id="SHOP-R-7")):  # fmt: skip
        refused = client.post(RETURNS, json=body)
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert "SHOP-R-7" in refused.json()["detail"] and f"RMA-{order_id}-1" in refused.json()["detail"]
    assert stored(engine) == before


def test_a_reference_is_unique_per_channel_only(client, engine):
    web = shipped_order(engine)
    marketplace = shipped_order(engine, "MKT-1", channel="marketplace")
    assert client.post(RETURNS, json=rma(web, external_id="R-1")).status_code == 201
    assert client.post(RETURNS, json=rma(marketplace, external_id="R-1")).status_code == 201
    assert client.post(RETURNS, json=rma(web, (1, 1, "too_large"), external_id="R-2")).status_code == 201
    assert stored(engine)["returns"] == 3


def test_a_retried_exchange_captures_no_second_replacement_order(client, engine):
    order_id = shipped_order(engine, lines=[("TSH-BLU-L", 2)])
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    body = exchange(order_id) | {"external_id": "SHOP-EX-1"}
    first = client.post(RETURNS, json=body)
    assert first.status_code == 201, first.text
    after_first = stored(engine)
    assert after_first["orders"] == 2
    again = client.post(RETURNS, json=body)
    assert again.status_code == 200
    assert again.json()["exchange_order_id"] == first.json()["exchange_order_id"] is not None
    assert stored(engine) == after_first
    position = client.get("/api/v1/atp", params={"sku": "TSH-BLU-M", "node": "WH-LYON"}).json()["nodes"][0]
    assert position["reserved"] == 1


def test_without_a_reference_each_request_is_a_new_rma(client, engine):
    order_id = shipped_order(engine)
    first = client.post(RETURNS, json=rma(order_id))
    second = client.post(RETURNS, json=rma(order_id))
    assert (first.status_code, second.status_code) == (201, 201)
    assert (first.json()["external_id"], second.json()["rma_number"]) == (None, f"RMA-{order_id}-2")


def test_a_refused_request_stores_nothing_and_frees_its_reference(client, engine):
    order_id = shipped_order(engine)
    too_long = client.post(RETURNS, json=rma(order_id, external_id="R" * 101))
    assert (too_long.status_code, too_long.json()["errors"][0]["pointer"]) == (422, "/external_id")
    too_many = client.post(RETURNS, json=rma(order_id, (1, 3, "too_small"), external_id="SHOP-R-5"))
    assert too_many.status_code == 422
    assert stored(engine)["returns"] == 0
    assert client.post(RETURNS, json=rma(order_id, (1, 2, "too_small"), external_id="SHOP-R-5")).status_code == 201
