"""Where orders come from: every order points at the payload it came in (an API order's is its command),
channel integrations keep their secrets hidden, and documents owed to a channel are pulled once."""

import json

from sqlalchemy import text

from oms.services.actor import Role
from oms.services.channel_documents import queue_document, send_due_documents
from tests.factories import api_key, order_body, set_stock


def test_an_api_order_keeps_its_command_as_payload_and_its_line_references(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    body = order_body("WEB-SRC-1")
    body["lines"][0]["external_line_id"] = "li-77"
    order = client.post("/api/v1/orders", json=body).json()

    assert order["source"]["source"] == "api" and order["source"]["reference"] is None
    assert order["lines"][0]["external_line_id"] == "li-77"
    payload_id = order["source"]["payload_id"]
    assert client.get(f"/api/v1/orders/{order['id']}").json()["source"]["payload_id"] == payload_id

    payload = client.get(f"/api/v1/inbound-payloads/{payload_id}").json()
    assert payload["order_ids"] == [order["id"]] and payload["body_encoding"] == "utf-8"
    assert json.loads(payload["body"])["lines"][0]["external_line_id"] == "li-77"
    listed = client.get("/api/v1/channels/web/inbound-payloads").json()
    assert [p["id"] for p in listed] == [payload_id]


def test_a_retry_stores_no_second_payload_and_a_refused_order_none(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    assert client.post("/api/v1/orders", json=order_body("WEB-SRC-2")).status_code == 201
    assert client.post("/api/v1/orders", json=order_body("WEB-SRC-2")).status_code == 200
    refused = client.post("/api/v1/orders", json=order_body("WEB-SRC-3", lines=[("NOPE", 1)]))
    assert refused.status_code == 422
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM inbound_payloads")).scalar_one() == 1


def test_another_channels_key_cannot_read_a_payload(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    payload_id = client.post("/api/v1/orders", json=order_body("WEB-SRC-4")).json()["source"]["payload_id"]
    other = client.get(f"/api/v1/inbound-payloads/{payload_id}", headers=api_key(engine, Role.CHANNEL, "b2b"))
    assert other.status_code == 404
    own = client.get(f"/api/v1/inbound-payloads/{payload_id}", headers=api_key(engine, Role.CHANNEL, "web"))
    assert own.status_code == 200


def test_an_integration_is_admin_only_checks_its_settings_and_never_shows_secrets(client, engine):
    admin = api_key(engine, Role.ADMIN)
    good = {"adapter": "shopify", "settings": {"shop_domain": "demo-shop.myshopify.com"},
            "secret": "s" * 32, "api_token": "shpat_x"}
    assert client.put("/api/v1/channels/web/integration", json=good).status_code == 403
    bad = client.put("/api/v1/channels/web/integration", headers=admin,
                     json=good | {"settings": {"shop_domain": "not a shop"}, "transport": "file"})
    assert bad.status_code == 422
    paths = {tuple(e["loc"]) for e in bad.json()["errors"]}
    assert ("settings", "shop_domain") in paths and ("drop_dir",) in paths
    assert client.get("/api/v1/channels/web/integration").status_code == 404  # nothing stored

    saved = client.put("/api/v1/channels/web/integration", headers=admin, json=good).json()
    assert saved["secret_set"] and saved["api_token_set"] and "secret" not in saved
    assert client.get("/api/v1/channels/web/integration").json()["settings"] == good["settings"]
    assert client.put("/api/v1/channels/nope/integration", headers=admin, json=good).status_code == 404


def test_a_pulled_document_is_owed_once_and_leaves_the_pending_list_when_acknowledged(client, engine):
    with engine.begin() as conn:
        first = queue_document(conn, "b2b", "edi_855", "order:1", "application/edi-x12", b"ISA*00*~")
        again = queue_document(conn, "b2b", "edi_855", "order:1", "application/edi-x12", b"ISA*01*~")
    assert first is not None and again is None
    channel = api_key(engine, Role.CHANNEL, "b2b")
    pending = client.get("/api/v1/channels/b2b/documents", headers=channel).json()
    assert [d["id"] for d in pending] == [first]
    raw = client.get(f"/api/v1/channels/b2b/documents/{first}", headers=channel)
    assert raw.content == b"ISA*00*~" and raw.headers["content-type"] == "application/edi-x12"
    assert client.get("/api/v1/channels/web/documents", headers=channel).status_code == 403
    acknowledged = client.post(f"/api/v1/channels/b2b/documents/{first}/acknowledge", headers=channel).json()
    assert acknowledged["acknowledged_at"] is not None
    assert client.get("/api/v1/channels/b2b/documents", headers=channel).json() == []
    assert send_due_documents(engine) == 0  # pulled documents are never pushed


def test_a_file_channel_gets_its_documents_dropped_by_the_worker(client, engine, tmp_path):
    admin = api_key(engine, Role.ADMIN)
    integration = {"adapter": "edi", "transport": "file", "drop_dir": str(tmp_path)}
    assert client.put("/api/v1/channels/b2b/integration", headers=admin, json=integration).status_code == 200
    with engine.begin() as conn:
        document_id = queue_document(conn, "b2b", "edi_856", "shipment:9", "application/edi-x12", b"ISA*856~")
    assert send_due_documents(engine) == 1
    assert (tmp_path / f"edi_856-{document_id}.x12").read_bytes() == b"ISA*856~"
    sent = client.get("/api/v1/channels/b2b/documents", headers=admin).json()[0]
    assert sent["sent_at"] is not None and sent["attempts"] == 1
    assert send_due_documents(engine) == 0
