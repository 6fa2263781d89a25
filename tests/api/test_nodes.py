import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.factories import api_key

STORE = {
    "name": "Store Bordeaux",
    "type": "store",
    "line1": "95 rue Sainte-Catherine",
    "postal_code": "33000",
    "city": "Bordeaux",
    "country": "FR",
    "lat": 44.84,
    "lon": -0.5737,
    "timezone": "Europe/Paris",
    "processing_days": 1,
    "cutoff_time": "16:00",
    "daily_capacity": 35,
    "priority": 60,
    "fulfilment_types": ["pickup", "ship_from_store", "pickup"],
}


@pytest.fixture
def client(client, engine):
    """The network is the admin's to change (NETWORK_WRITE)."""
    client.headers.update(api_key(engine, Role.ADMIN))
    return client


def test_put_creates_a_node_and_answers_it_as_stored(client):
    body = client.put("/api/v1/nodes/ST-BORDEAUX", json=STORE).json()
    assert body["id"] == "ST-BORDEAUX" and body["cutoff_time"] == "16:00"
    assert body["lat"] == 44.84 and body["lon"] == -0.5737
    assert body["fulfilment_types"] == ["pickup", "ship_from_store"]  # a set: repeats dropped
    assert client.get("/api/v1/nodes/ST-BORDEAUX").json() == body


def test_put_replaces_a_node(client):
    client.put("/api/v1/nodes/ST-BORDEAUX", json=STORE)
    body = client.put("/api/v1/nodes/ST-BORDEAUX", json=STORE | {"active": False, "daily_capacity": 0}).json()
    assert body["active"] is False and body["daily_capacity"] == 0


def test_list_filters_by_type_and_country_and_pages_by_id(client):
    client.put("/api/v1/nodes/ST-BORDEAUX", json=STORE)
    stores = client.get("/api/v1/nodes", params={"type": "store"}).json()["items"]
    assert [n["id"] for n in stores] == ["ST-BORDEAUX", "ST-PARIS"]
    german = client.get("/api/v1/nodes", params={"country": "de"}).json()["items"]
    assert [n["id"] for n in german] == ["WH-KOELN"]
    first = client.get("/api/v1/nodes", params={"limit": 2}).json()
    rest = client.get("/api/v1/nodes", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [n["id"] for n in first["items"] + rest["items"]] == [
        "ST-BORDEAUX",
        "ST-PARIS",
        "WH-KOELN",
        "WH-LYON",
    ]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize(
    ("change", "pointer"),
    [
        ({"timezone": "Europe/Bordeaux"}, "/timezone"),
        ({"country": "XX"}, "/country"),
        ({"lat": 91}, "/lat"),
        ({"lon": -180.5}, "/lon"),
        ({"cutoff_time": "4pm"}, "/cutoff_time"),
        ({"processing_days": -1}, "/processing_days"),
        ({"type": "depot"}, "/type"),
        ({"fulfilment_types": ["teleport"]}, "/fulfilment_types/0"),
        ({"type": "warehouse"}, "/fulfilment_types"),  # ship_from_store is for stores
    ],
)
def test_bad_node_fields_answer_422_with_a_pointer(client, change, pointer):
    response = client.put("/api/v1/nodes/ST-BORDEAUX", json=STORE | change)
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
    assert client.get("/api/v1/nodes/ST-BORDEAUX").status_code == 404


def test_ops_reads_the_network_but_cannot_change_it(client, engine):
    client.headers.update(api_key(engine, Role.OPS))
    assert client.get("/api/v1/nodes/WH-LYON").status_code == 200
    assert client.put("/api/v1/nodes/ST-BORDEAUX", json=STORE).status_code == 403


def test_the_network_needs_an_api_key(client):
    del client.headers["X-API-Key"]
    assert client.get("/api/v1/nodes").status_code == 401


def test_a_node_change_is_published(client, engine):
    client.put("/api/v1/nodes/ST-BORDEAUX", json=STORE)
    with engine.connect() as conn:
        messages = conn.execute(text("SELECT event_type, payload->>'entity_id' FROM outbox")).all()
    assert messages == [("node.updated", "ST-BORDEAUX")]
