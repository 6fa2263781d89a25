import pytest
from sqlalchemy import func, select, text

from oms.db.tables import audit_events, products
from oms.services import catalog
from oms.services.actor import Role
from tests.factories import api_key

JACKET = {
    "name": "Stormline rain jacket",
    "description": "2.5-layer shell",
    "unit_price": 149.0,
    "currency": "EUR",
    "barcode": "4006381333931",
    "weight_kg": 0.38,
}


@pytest.fixture
def client(client, engine):
    """The catalog is the admin's to change (CATALOG_WRITE)."""
    client.headers.update(api_key(engine, Role.ADMIN))
    return client


def test_put_creates_a_product_and_answers_it_as_stored(client):
    response = client.put("/api/v1/products/JKT-YEL-S", json=JACKET)
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in JACKET} == JACKET
    assert body["sku"] == "JKT-YEL-S" and body["active"] is True
    assert client.get("/api/v1/products/JKT-YEL-S").json() == body


def test_put_replaces_every_field_and_audits_before_and_after(client, engine):
    client.put("/api/v1/products/JKT-YEL-S", json=JACKET)
    client.put("/api/v1/products/JKT-YEL-S", json=JACKET | {"unit_price": 129.0, "barcode": None})
    assert client.get("/api/v1/products/JKT-YEL-S").json()["barcode"] is None
    with engine.connect() as conn:
        events = conn.execute(
            select(audit_events.c.action, audit_events.c.before, audit_events.c.after)
            .where(audit_events.c.entity_id == "JKT-YEL-S")
            .order_by(audit_events.c.id)
        ).all()
    assert [e.action for e in events] == ["product.created", "product.updated"]
    assert events[1].before["unit_price"] == 149.0 and events[1].after["unit_price"] == 129.0


def test_putting_the_same_product_again_changes_nothing_and_audits_nothing(client, engine):
    client.put("/api/v1/products/JKT-YEL-S", json=JACKET)
    first = client.get("/api/v1/products/JKT-YEL-S").json()
    assert client.put("/api/v1/products/JKT-YEL-S", json=JACKET).json()["updated_at"] == first["updated_at"]
    with engine.connect() as conn:
        query = select(func.count()).select_from(audit_events).where(audit_events.c.entity_id == "JKT-YEL-S")
        assert conn.execute(query).scalar_one() == 1


def test_list_pages_through_every_product_in_sku_order(client):
    for sku in ("A-1", "B-2", "C-3", "D-4"):
        client.put(f"/api/v1/products/{sku}", json=JACKET | {"barcode": None})
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/products", params=params).json()
        seen += [p["sku"] for p in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == ["A-1", "B-2", "C-3", "D-4", "JKT-RED-M", "TSH-BLU-L", "TSH-BLU-M"]


def test_search_matches_sku_or_name_ignoring_case(client):
    by_name = client.get("/api/v1/products", params={"q": "t-SHIRT"}).json()["items"]
    by_sku = client.get("/api/v1/products", params={"q": "jkt"}).json()["items"]
    assert [p["sku"] for p in by_name] == ["TSH-BLU-L", "TSH-BLU-M"]
    assert [p["sku"] for p in by_sku] == ["JKT-RED-M"]
    assert client.get("/api/v1/products", params={"q": "%"}).json()["items"] == []


def test_a_barcode_of_another_sku_is_refused_with_its_pointer(client, engine):
    client.put("/api/v1/products/JKT-YEL-S", json=JACKET)
    response = client.put("/api/v1/products/JKT-YEL-M", json=JACKET)
    assert response.status_code == 422
    assert [(e["pointer"], e["code"]) for e in response.json()["errors"]] == [("/barcode", "taken")]
    with engine.connect() as conn:
        assert conn.execute(select(products).where(products.c.sku == "JKT-YEL-M")).first() is None


def test_bad_fields_answer_422_with_a_pointer_each(client):
    bad = JACKET | {"unit_price": -1, "currency": "eur", "barcode": "4006381333932", "colour": "red"}
    response = client.put("/api/v1/products/JKT-YEL-S", json=bad)
    assert response.status_code == 422
    assert sorted(e["pointer"] for e in response.json()["errors"]) == [
        "/barcode", "/colour", "/currency", "/unit_price",
    ]  # fmt: skip


def test_a_sku_outside_the_allowed_characters_is_refused(client):
    response = client.put("/api/v1/products/JKT YEL", json=JACKET)
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/sku"


def test_unknown_product_is_404(client):
    assert client.get("/api/v1/products/NOPE").status_code == 404


def test_a_forged_cursor_is_422_not_a_crash(client):
    response = client.get("/api/v1/products", params={"cursor": "bm90LWEtbGlzdA"})
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/cursor"


def test_limit_outside_1_to_500_is_422(client):
    assert client.get("/api/v1/products", params={"limit": 501}).status_code == 422
    assert client.get("/api/v1/products", params={"limit": 0}).status_code == 422


def test_a_viewer_reads_the_catalog_but_cannot_change_it(client, engine):
    client.headers.update(api_key(engine, Role.VIEWER))
    assert client.get("/api/v1/products").status_code == 200
    response = client.put("/api/v1/products/JKT-YEL-S", json=JACKET)
    assert response.status_code == 403 and response.headers["content-type"] == "application/problem+json"


def test_the_catalog_needs_an_api_key(client):
    del client.headers["X-API-Key"]
    assert client.get("/api/v1/products").status_code == 401
    assert client.put("/api/v1/products/JKT-YEL-S", json=JACKET).status_code == 401


def test_a_barcode_taken_by_a_concurrent_command_is_a_conflict_not_a_crash(client, monkeypatch):
    assert client.put("/api/v1/products/JKT-1", json=JACKET).status_code in (200, 201)
    # As if the check ran just before another command gave the barcode to JKT-1 and committed.
    monkeypatch.setattr(catalog, "_barcodes_of_other_skus", lambda conn, items: [])
    response = client.put("/api/v1/products/JKT-2", json=JACKET)
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/products/JKT-2").status_code == 404


def test_a_product_change_is_published(client, engine):
    client.put("/api/v1/products/JKT-1", json=JACKET)
    with engine.connect() as conn:
        messages = conn.execute(text("SELECT event_type, payload->>'entity_id' FROM outbox")).all()
    assert messages == [("product.updated", "JKT-1")]
