"""Marketplace orders through the API: mapped by the channel's settings, each line accepted or refused,
the accepted ones captured, the acknowledgement answered and queued once, replays answered as the first."""

import json

from sqlalchemy import text

from oms.services.actor import Role
from tests.channels.marketplace.builders import ORDERS, integrate, order, post
from tests.factories import api_key, order_body, set_stock


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("orders", "inbound_payloads", "channel_documents")}  # fmt: skip


def _documents(client, engine) -> list[dict]:
    return client.get("/api/v1/channels/marketplace/documents", params={"kind": "marketplace_ack"},
                      headers=api_key(engine, Role.CHANNEL, "marketplace")).json()  # fmt: skip


def test_a_mirakl_order_captures_its_accepted_lines_and_queues_its_acknowledgement_once(client, engine):
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)  # JKT-RED-M has none; TSH-GRN-S is no product
    body = order("mirakl_order")

    answer = post(client, body)

    assert answer.status_code == 201, answer.text
    first = answer.json()
    assert first["acknowledgement"] == {"order_lines": [
        {"accepted": True, "id": "8817455903-A-1"}, {"accepted": False, "id": "8817455903-A-2"},
        {"accepted": False, "id": "8817455903-A-3"}]}  # fmt: skip
    assert [(line["accepted"], line["reason"]) for line in first["lines"]] == [
        (True, None), (False, "no_stock"), (False, "unknown_sku")]  # fmt: skip
    captured = client.get(f"/api/v1/orders/{first['order']['id']}").json()
    assert [(line["sku"], line["quantity"], line["external_line_id"], line["status"]) for line in captured["lines"]] \
        == [("TSH-BLU-M", 2, "8817455903-A-1", "allocated")]
    assert captured["external_id"] == "8817455903-A" and captured["ship_to"]["country"] == "FR"
    assert captured["source"] == {"source": "marketplace", "payload_id": first["payload_id"], "reference": None}
    payload = client.get(f"/api/v1/inbound-payloads/{first['payload_id']}").json()
    assert json.loads(payload["body"]) == body and payload["outcome"]["document_id"] == first["document_id"]

    documents = _documents(client, engine)
    assert [(d["id"], d["subject"], d["order_id"]) for d in documents] == [
        (first["document_id"], "order:8817455903-A", captured["id"])]  # fmt: skip
    raw = client.get(f"/api/v1/channels/marketplace/documents/{first['document_id']}",
                     headers=api_key(engine, Role.CHANNEL, "marketplace"))  # fmt: skip
    assert json.loads(raw.content) == first["acknowledgement"]


def test_a_replay_answers_the_first_answer_and_stores_nothing_more(client, engine):
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    first = post(client, order("mirakl_order")).json()
    counts = _counts(engine)
    set_stock(engine, "WH-LYON", "JKT-RED-M", 9)  # the decision is the first delivery's, whatever changed since

    again = post(client, order("mirakl_order"))

    assert again.status_code == 200 and again.json() == first
    assert _counts(engine) == counts == {"orders": 1, "inbound_payloads": 1, "channel_documents": 1}


def test_an_amazon_order_reads_unit_prices_from_line_totals_and_acknowledges_success(client, engine):
    integrate(client, engine, {"preset": "amazon"})
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 4)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 1)

    first = post(client, order("amazon_order")).json()

    placed = first["order"]
    assert placed["service_level"] == "express" and placed["customer"]["email"].endswith("@marketplace.amazon.de")
    assert [(line["sku"], line["quantity"], line["unit_price"]) for line in placed["lines"]] == [
        ("TSH-BLU-L", 2, 19.9), ("JKT-RED-M", 1, 89.9)]  # fmt: skip
    assert first["acknowledgement"] == {
        "AmazonOrderId": "302-4817263-1192351", "MerchantOrderId": str(placed["id"]), "StatusCode": "Success",
        "Items": [{"AmazonOrderItemCode": "06291154528731", "MerchantOrderItemID": "1"},
                  {"AmazonOrderItemCode": "06291154528732", "MerchantOrderItemID": "2"}]}  # fmt: skip


def test_an_order_whose_every_line_is_refused_keeps_its_payload_and_acknowledgement_but_no_order(client, engine):
    integrate(client, engine, {"preset": "amazon"})  # no stock anywhere

    first = post(client, order("amazon_order"))

    assert first.status_code == 201 and first.json()["order"] is None
    assert first.json()["acknowledgement"]["StatusCode"] == "Failure"
    assert [item["CancelReason"] for item in first.json()["acknowledgement"]["Items"]] == ["NoInventory"] * 2
    assert _counts(engine) == {"orders": 0, "inbound_payloads": 1, "channel_documents": 1}
    again = post(client, order("amazon_order"))
    assert again.status_code == 200 and again.json() == first.json()
    assert _counts(engine)["inbound_payloads"] == 1


def test_a_channel_that_backorders_accepts_lines_without_stock(client, engine):
    integrate(client, engine, {"preset": "mirakl", "refuse_unavailable": False})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 1)  # 2 ordered

    answer = post(client, order("mirakl_order")).json()

    assert [line["accepted"] for line in answer["lines"]] == [True, True, False]  # the unknown SKU still refused
    assert [(line["sku"], line["allocated_quantity"], line["backordered_quantity"])
            for line in answer["order"]["lines"]] == [("TSH-BLU-M", 1, 1), ("JKT-RED-M", 0, 1)]  # fmt: skip


def test_malformed_json_and_missing_mapped_fields_are_refused_naming_the_marketplaces_path(client, engine):
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    broken = post(client, b'{"order_id": "8817455903-A", "order_lines": [')
    assert broken.status_code == 422 and broken.json()["errors"][0]["code"] == "json_invalid"

    body = order("mirakl_order")
    del body["customer"]["shipping_address"]["zip_code"]
    body["order_lines"][0]["quantity"] = "deux"
    body["customer"]["shipping_address"]["country_iso_code"] = "FR"  # alpha-2 where Mirakl sends alpha-3
    refused = post(client, body)

    assert refused.status_code == 422
    assert {e["pointer"] for e in refused.json()["errors"]} == {
        "/customer/shipping_address/zip_code", "/order_lines/0/quantity",
        "/customer/shipping_address/country_iso_code"}  # fmt: skip
    assert _counts(engine) == {"orders": 0, "inbound_payloads": 0, "channel_documents": 0}


def test_a_custom_mapping_reads_nested_paths_constants_and_value_maps(client, engine):
    settings = {"fields": {
        "order_id": "data.reference", "customer_name": "data.buyer.name",
        "customer_email": {"path": "data.buyer.contact.email", "default": "{order_id}@shopx.invalid"},
        "ship_name": "data.buyer.name", "ship_line1": "data.delivery.lines[0]", "ship_line2": "data.delivery.lines[1]",
        "ship_postal_code": "data.delivery.zip", "ship_city": "data.delivery.town", "ship_country": {"default": "FR"},
        "service_level": {"path": "data.speed", "map": {"fast": "express", "slow": "standard"}},
        "currency": {"default": "EUR"}, "lines": "data.items", "line_id": {"default": "{order_id}-{line_no}"},
        "sku": "ref", "quantity": "qty", "unit_price": "price.value",
    }}  # fmt: skip
    assert integrate(client, engine, settings).status_code == 200
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 3)
    body = {"data": {"reference": "SX-77", "speed": "fast", "buyer": {"name": "Inès Roux"},
                     "delivery": {"lines": ["3 rue Mercière", "Apt 2"], "zip": "69002", "town": "Lyon"},
                     "items": [{"ref": "TSH-BLU-L", "qty": 3, "price": {"value": "18.50"}}]}}  # fmt: skip

    answer = post(client, body).json()

    assert answer["acknowledgement"] == {"marketplace_order_id": "SX-77", "order_id": answer["order"]["id"], "lines": [
        {"id": "SX-77-1", "sku": "TSH-BLU-L", "quantity": 3, "accepted": True, "reason": None}]}  # fmt: skip
    placed = answer["order"]
    assert placed["customer"]["email"] == "sx-77@shopx.invalid" and placed["service_level"] == "express"
    assert placed["ship_to"]["line2"] == "Apt 2" and placed["lines"][0]["unit_price"] == 18.5
    unmapped = post(client, body | {"data": body["data"] | {"reference": "SX-78", "speed": "teleport"}})
    assert unmapped.status_code == 422 and unmapped.json()["errors"][0]["pointer"] == "/data/speed"


def test_a_bad_mapping_is_refused_field_by_field_and_nothing_is_stored(client, engine):
    bad = {"preset": "mirakl", "fields": {
        "service_level": {"path": "shipping_type_code", "map": {"EXP": "overnight"}},
        "ship_country": {"path": "customer.shipping_address.country_iso_code", "convert": "country_alpha3",
                         "default": "France"},
        "unit_price": None, "sku": "offer..sku", "order_total": "total_price"}}  # fmt: skip

    answer = integrate(client, engine, bad)

    assert answer.status_code == 422
    assert {tuple(e["loc"]) for e in answer.json()["errors"]} == {
        ("settings", "fields", "sku", "path", 0), ("settings", "fields", "order_total", "[key]")}
    fixed = bad | {"fields": {k: v for k, v in bad["fields"].items() if k not in ("sku", "order_total")}}
    answer = integrate(client, engine, fixed)
    assert {tuple(e["loc"]) for e in answer.json()["errors"]} == {
        ("settings", "fields", "service_level", "map", "EXP"), ("settings", "fields", "ship_country", "default"),
        ("settings", "fields", "unit_price")}  # fmt: skip
    assert client.get("/api/v1/channels/marketplace/integration").status_code == 404


def test_only_the_channels_own_key_or_the_desks_may_post_and_only_to_an_integrated_channel(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    assert post(client, order("mirakl_order")).status_code == 404  # no marketplace integration yet
    integrate(client, engine, {"preset": "mirakl"})
    assert post(client, order("mirakl_order"), api_key(engine, Role.CHANNEL, "web")).status_code == 403
    assert post(client, order("mirakl_order"), api_key(engine, Role.VIEWER)).status_code == 403
    assert _counts(engine)["inbound_payloads"] == 0
    assert post(client, order("mirakl_order"), api_key(engine, Role.CHANNEL, "marketplace")).status_code == 201


def test_an_order_id_already_captured_through_the_orders_api_is_a_conflict_and_keeps_nothing(client, engine):
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    same = order_body("8817455903-A", lines=[("TSH-BLU-M", 1)], channel="marketplace")
    assert client.post("/api/v1/orders", json=same).status_code == 201
    counts = _counts(engine)

    answer = post(client, order("mirakl_order"))

    assert answer.status_code == 409 and _counts(engine) == counts


def test_a_body_over_the_limit_is_refused_before_it_is_read_whole(client, engine, monkeypatch):
    integrate(client, engine, {"preset": "mirakl"})
    body = json.dumps(order("mirakl_order")).encode()
    monkeypatch.setattr("oms.api.routes.marketplace.MAX_BODY_BYTES", len(body) - 1)
    declared = post(client, body)
    streamed = client.post(ORDERS, content=iter([body[:100], body[100:]]),  # chunked: no length declared
                           headers={"Content-Type": "application/json"})  # fmt: skip
    for response in (declared, streamed):
        assert response.status_code == 413 and response.headers["content-type"] == "application/problem+json"
    assert _counts(engine)["inbound_payloads"] == 0


def test_an_order_id_too_long_for_its_acknowledgement_is_refused_before_anything_is_captured(client, engine):
    """The acknowledgement's subject is order:<id>, at most 100 characters: an id it cannot hold is refused
    by its path rather than captured without an acknowledgement, again at every retry."""
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    body = order("mirakl_order") | {"order_id": "A" * 95}

    refused = post(client, body)

    assert refused.status_code == 422 and [e["pointer"] for e in refused.json()["errors"]] == ["/order_id"]
    assert _counts(engine) == {"orders": 0, "inbound_payloads": 0, "channel_documents": 0}
    assert post(client, body | {"order_id": "A" * 94}).status_code == 201


def test_a_nul_character_is_refused_by_its_path_and_nothing_is_captured(client, engine):
    """PostgreSQL text cannot hold U+0000: capture failed with a 500."""
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    body = order("mirakl_order")
    body["customer"]["shipping_address"]["street_1"] = "8 quai\u0000 des Chartrons"

    refused = post(client, body)

    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["/customer/shipping_address/street_1"]
    assert _counts(engine) == {"orders": 0, "inbound_payloads": 0, "channel_documents": 0}
