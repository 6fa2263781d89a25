"""Shopify's order webhooks through the API: signed, deduplicated, captured with their payload, and refused
with nothing stored when they are not Shopify's or do not make an order."""

import json

import pytest

from oms.services.actor import Role
from oms.services.channel_shopify import MAX_BODY_BYTES
from tests.channels.shopify.shop import SHOP, WEBHOOKS, delivery, post, sample, stored
from tests.factories import api_key, set_stock


def test_orders_create_captures_the_order_with_its_payload_byte_for_byte(shop, engine):
    document = sample("orders_create")
    body, headers = delivery("orders/create", document)
    response = shop.post(WEBHOOKS, content=body, headers=headers)

    assert response.status_code == 201 and response.json()["result"] == "captured"
    order = shop.get(f"/api/v1/orders/{response.json()['order_id']}").json()
    assert order["channel"] == "web" and order["external_id"] == str(document["id"])
    assert order["source"] == {"source": "shopify", "payload_id": response.json()["payload_id"], "reference": None}
    assert [line["external_line_id"] for line in order["lines"]] == [str(i["id"]) for i in document["line_items"]]
    assert order["service_level"] == "express" and document["name"] in order["notes"]
    assert order["status"] == "allocated"
    payload = shop.get(f"/api/v1/inbound-payloads/{order['source']['payload_id']}").json()
    assert payload["body"].encode() == body and payload["topic"] == "orders/create"
    assert payload["dedupe_key"] == headers["X-Shopify-Webhook-Id"] and payload["received_by"] == f"shopify:{SHOP}"
    events = shop.get(f"/api/v1/orders/{order['id']}/events").json()
    assert {(e["action"], e["actor"], e["actor_role"]) for e in events} >= {("order.created", f"shopify:{SHOP}",
                                                                               "channel")}  # fmt: skip


def test_a_replayed_delivery_answers_200_with_the_first_answer_and_changes_nothing(shop, engine):
    first = post(shop, "orders/create", sample("orders_create"), webhook_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
    before = stored(engine)
    again = post(shop, "orders/create", sample("orders_create"), webhook_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")

    assert again.status_code == 200 and again.json()["result"] == "duplicate"
    assert (again.json()["order_id"], again.json()["payload_id"]) == (first.json()["order_id"],
                                                                      first.json()["payload_id"])  # fmt: skip
    assert stored(engine) == before


@pytest.mark.parametrize("forge", [
    lambda body, h: h.pop("X-Shopify-Hmac-Sha256"),
    lambda body, h: h.update({"X-Shopify-Hmac-Sha256": delivery("orders/create", body, secret="x" * 32)[1][
        "X-Shopify-Hmac-Sha256"]}),
    lambda body, h: h.update({"X-Shopify-Hmac-Sha256": "not base64 at all"}),
    lambda body, h: h.update({"X-Shopify-Shop-Domain": "other-shop.myshopify.com"}),
])  # fmt: skip
def test_a_delivery_not_signed_by_the_shop_is_401_and_stores_nothing(shop, engine, forge):
    body, headers = delivery("orders/create", sample("orders_create"))
    forge(body, headers)
    before = stored(engine)
    response = shop.post(WEBHOOKS, content=body, headers=headers)

    assert response.status_code == 401 and response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 401
    assert stored(engine) == before


def test_a_body_changed_after_signing_is_401(shop, engine):
    body, headers = delivery("orders/create", sample("orders_create"))
    tampered = body.replace(b'"quantity": 2', b'"quantity": 20')
    assert tampered != body
    assert shop.post(WEBHOOKS, content=tampered, headers=headers).status_code == 401
    assert stored(engine)["orders"] == 0


def test_a_channel_without_an_enabled_shopify_integration_is_404(shop, engine):
    body, headers = delivery("orders/create", sample("orders_create"))
    assert shop.post("/api/v1/channels/b2b/shopify/webhooks", content=body, headers=headers).status_code == 404
    integration = shop.get("/api/v1/channels/web/integration", headers=api_key(engine, Role.ADMIN)).json()
    shop.put("/api/v1/channels/web/integration", headers=api_key(engine, Role.ADMIN),
             json={"adapter": "shopify", "settings": integration["settings"], "enabled": False})  # fmt: skip
    assert shop.post(WEBHOOKS, content=body, headers=headers).status_code == 404
    assert stored(engine)["orders"] == 0


@pytest.mark.parametrize(("change", "pointer"), [
    (lambda d: d["shipping_address"].pop("zip"), "/shipping_address/zip"),
    (lambda d: d.update(line_items=[]), "/line_items"),
    (lambda d: d.pop("id"), "/id"),
    (lambda d: d["line_items"][1].update(sku="NOT-SOLD-HERE"), "/line_items/1/sku"),
    (lambda d: d["shipping_address"].update(country_code="ZZ"), "/shipping_address/country_code"),
])  # fmt: skip
def test_a_malformed_order_is_422_naming_the_shopify_field_and_stores_nothing(shop, engine, change, pointer):
    document = sample("orders_create")
    change(document)
    before = stored(engine)
    response = post(shop, "orders/create", document)

    assert response.status_code == 422
    assert pointer in {error["pointer"] for error in response.json()["errors"]}
    assert stored(engine) == before


def test_a_delivery_without_webhook_id_or_json_is_422(shop, engine):
    body, headers = delivery("orders/create", sample("orders_create"))
    del headers["X-Shopify-Webhook-Id"]
    assert shop.post(WEBHOOKS, content=body, headers=headers).status_code == 422
    assert post(shop, "orders/create", b"<order/>").status_code == 422
    assert stored(engine)["payloads"] == 0


def test_a_topic_the_oms_does_not_handle_is_answered_200_and_not_stored(shop, engine):
    response = post(shop, "orders/paid", sample("orders_create"))
    assert response.status_code == 200 and response.json()["result"] == "ignored"
    assert stored(engine)["payloads"] == 0
    body, headers = delivery("orders/paid", sample("orders_create"), secret="y" * 32)
    assert shop.post(WEBHOOKS, content=body, headers=headers).status_code == 401  # signed all the same


def test_a_pending_pickup_is_held_for_payment_and_released_once_paid_in_shopify(shop, engine):
    set_stock(engine, "ST-PARIS", "TSH-BLU-M", 2)
    document = sample("orders_create_pickup")
    shirt = document["line_items"][0]  # no SKU: read by its variant
    mapping = {"items": [{"sku": "TSH-BLU-M", "inventory_item_id": 49220111, "variant_id": shirt["variant_id"]}]}
    assert shop.put("/api/v1/channels/web/shopify/inventory-items", json=mapping,
                    headers=api_key(engine, Role.ADMIN)).status_code == 200  # fmt: skip
    captured = post(shop, "orders/create", document).json()
    order = shop.get(f"/api/v1/orders/{captured['order_id']}").json()
    assert (order["status"], order["hold_type"], order["service_level"]) == ("on_hold", "payment_review", "pickup")
    assert [(line["sku"], line["allocations"][0]["node_id"]) for line in order["lines"]] == [("TSH-BLU-M",
                                                                                              "ST-PARIS")]  # fmt: skip
    paid = document | {"financial_status": "paid", "updated_at": "2026-11-21T17:40:02+01:00"}
    response = post(shop, "orders/updated", paid)

    assert response.status_code == 201 and response.json()["result"] == "applied"
    assert response.json()["outcome"]["changes"] == ["payment-review hold lifted"]
    order = shop.get(f"/api/v1/orders/{captured['order_id']}").json()
    assert (order["status"], order["hold_type"]) == ("allocated", None)


def test_an_order_with_nothing_to_ship_is_recorded_not_captured(shop, engine):
    document = sample("orders_create")
    for item in document["line_items"]:
        item |= {"gift_card": True, "requires_shipping": False}
    response = post(shop, "orders/create", document)
    assert response.status_code == 201 and response.json()["result"] == "recorded"
    assert response.json()["order_id"] is None and stored(engine)["orders"] == 0
    payload = shop.get(f"/api/v1/inbound-payloads/{response.json()['payload_id']}").json()
    assert json.loads(payload["body"])["id"] == document["id"] and payload["outcome"]["captured"] is False


def test_a_body_over_the_limit_is_413_before_it_is_read_whole_even_when_signed(shop, engine):
    document = sample("orders_create") | {"note_attributes": [{"name": "padding", "value": "x" * MAX_BODY_BYTES}]}
    body, headers = delivery("orders/create", document)
    before = stored(engine)
    response = shop.post(WEBHOOKS, content=body, headers=headers)

    assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
    assert stored(engine) == before

    def unsized():  # chunked, so no Content-Length says how large it is
        yield body[:1024]
        yield from (body[start:start + 65536] for start in range(1024, len(body), 65536))

    assert shop.post(WEBHOOKS, content=unsized(), headers=headers).status_code == 413
    assert stored(engine) == before
