from datetime import date, timedelta

from sqlalchemy import select, text

from oms.db.tables import channel_protections, inbound_supply
from oms.services.actor import Role
from tests.factories import api_key, set_stock

SOON = (date.today() + timedelta(days=3)).isoformat()
PO = {"node_id": "WH-LYON", "sku": "TSH-BLU-L", "type": "purchase_order", "reference": "PO-7", "quantity": 5,
      "expected_date": SOON}  # fmt: skip


def test_recorded_inbound_supply_counts_in_atp_by_its_date(client, engine):
    response = client.post("/api/v1/inbound-supply", json=PO)
    assert response.status_code == 201 and response.json()["status"] == "open"
    atp = client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "date": SOON}).json()
    assert atp["total"] == 5


def test_inbound_supply_lists_by_sku(client):
    client.post("/api/v1/inbound-supply", json=PO)
    client.post("/api/v1/inbound-supply", json=PO | {"sku": "TSH-BLU-M", "type": "asn", "reference": "ASN-1"})
    items = client.get("/api/v1/inbound-supply", params={"sku": "TSH-BLU-M"}).json()["items"]
    assert [(s["sku"], s["type"], s["reference"]) for s in items] == [("TSH-BLU-M", "asn", "ASN-1")]


def test_bad_inbound_supply_is_422_with_pointers_and_stores_nothing(client, engine):
    unknown = client.post("/api/v1/inbound-supply", json=PO | {"node_id": "WH-MARS", "sku": "NOPE"})
    assert sorted(e["pointer"] for e in unknown.json()["errors"]) == ["/node_id", "/sku"]
    invalid = client.post("/api/v1/inbound-supply", json=PO | {"quantity": 0, "type": "gift"})
    assert sorted(e["pointer"] for e in invalid.json()["errors"]) == ["/quantity", "/type"]
    with engine.connect() as conn:
        assert conn.execute(select(inbound_supply)).all() == []


def test_setting_a_protection_for_the_same_scope_replaces_it(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    first = client.post("/api/v1/channel-protections", json={"channel": "marketplace", "share": 0.5}).json()
    second = client.post("/api/v1/channel-protections", json={"channel": "marketplace", "quantity": 3}).json()
    assert second["id"] == first["id"] and (second["quantity"], second["share"]) == (3, None)
    atp = client.get("/api/v1/atp", params={"sku": "TSH-BLU-L", "channel": "marketplace"}).json()
    assert atp["total"] == 7


def test_protections_of_different_scopes_live_side_by_side_and_can_be_deleted(client):
    general = client.post("/api/v1/channel-protections", json={"channel": "b2b", "share": 0.2}).json()
    client.post("/api/v1/channel-protections", json={"channel": "b2b", "sku": "TSH-BLU-L", "node": "WH-LYON",
                                                     "quantity": 0})  # fmt: skip
    assert len(client.get("/api/v1/channel-protections", params={"channel": "b2b"}).json()["items"]) == 2
    assert client.delete(f"/api/v1/channel-protections/{general['id']}").status_code == 204
    items = client.get("/api/v1/channel-protections").json()["items"]
    assert [(p["sku"], p["node"]) for p in items] == [("TSH-BLU-L", "WH-LYON")]
    assert client.delete(f"/api/v1/channel-protections/{general['id']}").status_code == 404


def test_a_protection_needs_quantity_or_share_and_known_references(client, engine):
    both = client.post("/api/v1/channel-protections", json={"channel": "web", "quantity": 1, "share": 0.1})
    assert both.status_code == 422
    unknown = client.post("/api/v1/channel-protections", json={"channel": "telepathy", "quantity": 1})
    assert [e["pointer"] for e in unknown.json()["errors"]] == ["/channel"]
    too_much = client.post("/api/v1/channel-protections", json={"channel": "web", "share": 1.5})
    assert [e["pointer"] for e in too_much.json()["errors"]] == ["/share"]
    with engine.connect() as conn:
        assert conn.execute(select(channel_protections)).all() == []


def test_a_viewer_cannot_record_supply_or_protections(client, engine):
    client.headers.update(api_key(engine, Role.VIEWER))
    assert client.post("/api/v1/inbound-supply", json=PO).status_code == 403
    assert (
        client.post("/api/v1/channel-protections", json={"channel": "web", "quantity": 1}).status_code == 403
    )
    assert client.get("/api/v1/channel-protections").status_code == 200


def test_protection_changes_are_published(client, engine):
    rule = client.post("/api/v1/channel-protections", json={"channel": "b2b", "share": 0.2}).json()
    client.delete(f"/api/v1/channel-protections/{rule['id']}")
    with engine.connect() as conn:
        types = conn.execute(text("SELECT event_type FROM outbox ORDER BY id")).scalars().all()
    assert types == ["channel_protection.set", "channel_protection.deleted"]
