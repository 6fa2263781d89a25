"""Updates, cancellations and refunds from Shopify on orders the OMS holds: applied before release as the
difference from the Shopify state applied before, once whatever the retries, and recorded after."""

import pytest
from sqlalchemy import text

from oms.services import channel_shopify_apply
from tests.channels.shopify.shop import post, sample, stored

ORDERS = "/api/v1/orders"


def reserved(engine, sku: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT coalesce(sum(reserved), 0) FROM inventory WHERE sku = :sku"),
                            {"sku": sku}).scalar_one()  # fmt: skip


def captured(client) -> dict:
    answer = post(client, "orders/create", sample("orders_create")).json()
    return client.get(f"{ORDERS}/{answer['order_id']}").json()


def line(order: dict, sku: str) -> dict:
    return next(line for line in order["lines"] if line["sku"] == sku)


def test_an_order_edit_in_shopify_changes_the_address_and_quantities_before_release(shop, engine):
    order = captured(shop)
    update = sample("orders_updated")
    response = post(shop, "orders/updated", update)

    assert response.status_code == 201 and response.json()["result"] == "applied"
    changed = shop.get(f"{ORDERS}/{order['id']}").json()
    assert changed["ship_to"]["line1"] == update["shipping_address"]["address1"]
    assert line(changed, "TSH-BLU-L")["quantity"] == update["line_items"][0]["fulfillable_quantity"]
    assert reserved(engine, "TSH-BLU-L") == update["line_items"][0]["fulfillable_quantity"]
    outcome = shop.get(f"/api/v1/inbound-payloads/{response.json()['payload_id']}").json()["outcome"]
    assert outcome["applied"] and "shipping address changed" in outcome["changes"]
    actions = [e["action"] for e in shop.get(f"{ORDERS}/{order['id']}/events").json()]
    assert {"order.updated", "shopify.orders/updated"} <= set(actions)


def test_the_same_update_again_under_another_webhook_id_changes_nothing(shop, engine):
    captured(shop)
    post(shop, "orders/updated", sample("orders_updated"))
    before = stored(engine)
    again = post(shop, "orders/updated", sample("orders_updated"))
    assert again.status_code == 201 and again.json()["result"] == "recorded"
    assert again.json()["outcome"]["changes"] == []
    assert stored(engine)["reserved"] == before["reserved"] and stored(engine)["orders"] == before["orders"]


def test_an_update_older_than_the_one_applied_is_recorded_not_applied(shop, engine):
    order = captured(shop)
    post(shop, "orders/updated", sample("orders_updated"))
    older = sample("orders_create") | {"updated_at": "2026-11-20T10:30:00+01:00", "tags": "VIP"}
    response = post(shop, "orders/updated", older)

    assert response.json()["result"] == "recorded" and "older" in response.json()["outcome"]["not_applied"][0]
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 1


def test_an_update_after_release_is_recorded_with_the_reason(shop, engine):
    order = captured(shop)
    assert shop.post(f"{ORDERS}/{order['id']}/release").status_code == 200
    response = post(shop, "orders/updated", sample("orders_updated"))

    assert response.status_code == 201 and response.json()["result"] == "recorded"
    assert "the order is released" in response.json()["outcome"]["not_applied"][0]
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 2


def test_an_update_of_an_order_never_captured_captures_it(shop, engine):
    update = sample("orders_updated")
    response = post(shop, "orders/updated", update)
    assert response.status_code == 201 and response.json()["result"] == "captured"
    order = shop.get(f"{ORDERS}/{response.json()['order_id']}").json()
    assert order["source"]["payload_id"] == response.json()["payload_id"]
    assert line(order, "TSH-BLU-L")["quantity"] == 1

    late_creation = post(shop, "orders/create", sample("orders_create"))  # overtaken by its update
    assert late_creation.json()["result"] == "recorded" and late_creation.json()["order_id"] == order["id"]
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 1


def test_a_cancellation_cancels_the_order_once(shop, engine):
    order = captured(shop)
    response = post(shop, "orders/cancelled", sample("orders_cancelled"))

    assert response.json()["result"] == "applied" and response.json()["outcome"]["changes"] == ["cancelled"]
    assert shop.get(f"{ORDERS}/{order['id']}").json()["status"] == "cancelled"
    assert stored(engine)["reserved"] == 0
    again = post(shop, "orders/cancelled", sample("orders_cancelled"))
    assert again.status_code == 201 and again.json()["result"] == "recorded"
    as_update = post(shop, "orders/updated", sample("orders_cancelled"))  # Shopify sends both
    assert as_update.json()["result"] == "recorded"


def test_a_cancellation_of_an_order_never_captured_leaves_it_captured_and_cancelled(shop, engine):
    response = post(shop, "orders/cancelled", sample("orders_cancelled"))
    assert response.json()["result"] == "captured"
    assert shop.get(f"{ORDERS}/{response.json()['order_id']}").json()["status"] == "cancelled"
    late_creation = post(shop, "orders/create", sample("orders_create"))
    assert late_creation.json()["result"] == "recorded"
    assert shop.get(f"{ORDERS}/{response.json()['order_id']}").json()["status"] == "cancelled"
    assert stored(engine)["reserved"] == 0


def test_a_refund_cancels_the_refunded_units_once_however_it_comes_again(shop, engine):
    order = captured(shop)
    refund = sample("refunds_create")
    first = post(shop, "refunds/create", refund, webhook_id="0f9a6b47-8a3c-4a8e-9a55-7d1f0d2b4c11")
    assert first.status_code == 201 and first.json()["result"] == "applied"
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 1

    assert post(shop, "refunds/create", refund, webhook_id="0f9a6b47-8a3c-4a8e-9a55-7d1f0d2b4c11").status_code == 200
    assert post(shop, "refunds/create", refund).json()["result"] == "recorded"  # another subscription's delivery
    reflected = sample("orders_updated")  # the update Shopify sends with the refund: the same unit, once
    reflected["shipping_address"] = sample("orders_create")["shipping_address"]
    reflected["refunds"] = [refund | {"refund_line_items": refund["refund_line_items"]}]
    assert post(shop, "orders/updated", reflected).json()["outcome"]["changes"] == []
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 1
    assert reserved(engine, "TSH-BLU-L") == 1


def test_a_refund_reflected_by_an_update_applied_before_changes_nothing(shop, engine):
    order = captured(shop)
    refund = sample("refunds_create")
    update = sample("orders_updated") | {"refunds": [refund]}
    post(shop, "orders/updated", update)
    response = post(shop, "refunds/create", refund)
    assert response.json()["result"] == "recorded" and "reflected" in response.json()["outcome"]["not_applied"][0]
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 1


def test_a_refund_of_an_order_never_captured_is_recorded(shop, engine):
    response = post(shop, "refunds/create", sample("refunds_create"))
    assert response.status_code == 201 and response.json()["result"] == "recorded"
    assert response.json()["order_id"] is None and stored(engine)["orders"] == 0


def test_a_refund_interrupted_before_its_commit_leaves_nothing_and_its_retry_applies_it_once(
    shop, engine, monkeypatch
):
    order = captured(shop)
    store = channel_shopify_apply.store_once

    def crash(*args, **kwargs):
        raise ConnectionError("the process died here")

    monkeypatch.setattr(channel_shopify_apply, "store_once", crash)
    with pytest.raises(ConnectionError):
        post(shop, "refunds/create", sample("refunds_create"), webhook_id="3c1e9d1c-5ad0-4f0c-b6a4-2b3f2cc7a9e0")
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 2  # rolled back
    monkeypatch.setattr(channel_shopify_apply, "store_once", store)
    retry = post(shop, "refunds/create", sample("refunds_create"), webhook_id="3c1e9d1c-5ad0-4f0c-b6a4-2b3f2cc7a9e0")

    assert retry.json()["result"] == "applied"
    assert line(shop.get(f"{ORDERS}/{order['id']}").json(), "TSH-BLU-L")["quantity"] == 1
    assert reserved(engine, "TSH-BLU-L") == 1
