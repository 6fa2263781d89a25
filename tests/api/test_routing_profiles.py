from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from oms.db.tables import audit_events, outbox, routing_profiles
from oms.services.actor import Role
from oms.services.routing_profiles import ProfilesSave, save_profiles
from oms.services.uow import UnitOfWork
from tests.factories import OPS, api_key

URL = "/api/v1/routing/profiles"
PROFILES = {
    "version": 1,
    "strategies": [
        {
            "name": "warehouses-first",
            "conditions": {"channels": ["web"], "destination_countries": ["FR", "BE"]},
            "filters": {"node_types": ["warehouse"], "max_distance_km": 900},
            "objective": {"shipping_cost": 1, "split": 4.5},
            "max_split": 2,
            "partial_fulfilment": "ship_complete",
            "fallback": "anywhere",
        },
        {"name": "anywhere", "max_split": 3, "allow_line_split": True},
    ],
}
YAML = """
strategies:
  - name: stores-last
    filters: {ship_from_store: false}
    objective: {shipping_cost: 1, transit_days: 0.5}
"""


def stored_versions(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(routing_profiles)).scalar_one()


def test_before_any_save_the_built_in_profiles_are_active(client):
    body = client.get(URL).json()
    assert body["version"] == 0 and body["builtin"] is True and body["saved_by"] is None
    assert [s["name"] for s in body["profiles"]["strategies"]] == ["one-shipment", "split-up-to-3", "beyond-capacity"]
    assert client.get(f"{URL}/versions/0").json() == body
    assert client.get(f"{URL}/versions").json() == []


def test_a_saved_profile_set_becomes_the_active_version(client, engine):
    saved = client.put(URL, json=PROFILES, params={"comment": "Belgium joins"})
    assert saved.status_code == 200, saved.json()
    body = saved.json()
    assert body["version"] == 1 and body["builtin"] is False
    assert body["saved_by"] == "test-ops-all" and body["comment"] == "Belgium joins" and body["saved_at"]
    first = body["profiles"]["strategies"][0]
    assert first["filters"]["max_distance_km"] == 900 and first["fallback"] == "anywhere"
    assert first["filters"]["require_capacity"] is True  # defaults are stored spelled out
    assert client.get(URL).json() == body
    assert client.get(f"{URL}/versions/1").json() == body


def test_each_save_adds_a_version_numbered_by_the_server_and_the_newest_is_active(client):
    client.put(URL, json=PROFILES)
    second = client.put(URL, json=PROFILES | {"version": 42}, params={"comment": "v2"}).json()
    assert second["version"] == 2 and second["profiles"]["version"] == 2
    assert client.get(URL).json()["version"] == 2
    versions = client.get(f"{URL}/versions").json()
    assert [(v["version"], v["comment"]) for v in versions] == [(2, "v2"), (1, "")]
    assert versions[0]["strategies"] == ["warehouses-first", "anywhere"]
    assert client.get(f"{URL}/versions/1").json()["profiles"]["version"] == 1


def test_a_save_is_audited_and_published(client, engine):
    client.put(URL, json=PROFILES, params={"comment": "why"})
    with engine.connect() as conn:
        event = conn.execute(
            select(audit_events).where(audit_events.c.entity_type == "routing_profiles")
        ).one()
        message = conn.execute(select(outbox.c.event_type)).scalar_one()
    assert (event.action, event.entity_id, event.actor) == ("routing_profiles.saved", "1", "test-ops-all")
    assert event.before == {"version": 0} and event.after["comment"] == "why"
    assert message == "routing_profiles.saved"


def test_a_yaml_body_is_accepted(client):
    response = client.put(URL, content=YAML, headers={"Content-Type": "application/yaml"})
    assert response.status_code == 200, response.json()
    assert response.json()["profiles"]["strategies"][0]["filters"]["ship_from_store"] is False


@pytest.mark.parametrize(
    ("strategy", "pointers"),
    [
        (
            {"max_split": 0, "objective": {"split": -1}},
            ["/strategies/0/objective/split", "/strategies/0/max_split"],
        ),
        ({"filters": {"max_distanse_km": 10}}, ["/strategies/0/filters/max_distanse_km"]),
        ({"fallback": "nowhere"}, ["/strategies/0/fallback"]),
        (
            {"conditions": {"destination_countries": ["fr"]}},
            ["/strategies/0/conditions/destination_countries/0"],
        ),
        ({"allow_line_split": True}, ["/strategies/0"]),
    ],
)
def test_an_invalid_profile_set_is_422_with_field_paths_and_nothing_is_stored(
    client, engine, strategy, pointers
):
    response = client.put(URL, json={"strategies": [{"name": "s"} | strategy]})
    assert response.status_code == 422
    problem = response.json()
    assert (
        problem["type"].endswith("/validation-failed")
        and response.headers["content-type"] == "application/problem+json"
    )
    assert [e["pointer"] for e in problem["errors"]] == pointers
    assert stored_versions(engine) == 0 and client.get(URL).json()["builtin"] is True


def test_malformed_yaml_is_422_and_nothing_is_stored(client, engine):
    response = client.put(URL, content="strategies: [", headers={"Content-Type": "application/yaml"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"].startswith("not valid yaml")
    assert stored_versions(engine) == 0


def test_an_unsupported_content_type_is_415(client):
    response = client.put(URL, content="<xml/>", headers={"Content-Type": "application/xml"})
    assert response.status_code == 415 and response.headers["content-type"] == "application/problem+json"


def test_a_save_based_on_an_older_version_is_refused_with_409(client, engine):
    client.put(URL, json=PROFILES)
    assert client.put(URL, json=PROFILES, params={"base_version": 1}).json()["version"] == 2
    stale = client.put(URL, json=PROFILES, params={"base_version": 1})
    assert stale.status_code == 409 and "version 2 is active" in stale.json()["detail"]
    assert stored_versions(engine) == 2


def test_an_unknown_version_is_404(client):
    response = client.get(f"{URL}/versions/7")
    assert response.status_code == 404 and response.json()["detail"] == "no routing profiles version 7"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MANAGER])
def test_viewers_and_managers_read_but_may_not_save(client, engine, role):
    client.headers.update(api_key(engine, role))
    assert client.get(URL).status_code == 200
    assert client.get(f"{URL}/versions").status_code == 200
    response = client.put(URL, json=PROFILES)
    assert response.status_code == 403 and response.json()["title"] == "Forbidden"
    assert stored_versions(engine) == 0


def test_an_admin_may_save(client, engine):
    client.headers.update(api_key(engine, Role.ADMIN))
    assert client.put(URL, json=PROFILES).json()["saved_by"] == "test-admin-all"


def test_a_channel_key_may_not_even_read_them(client, engine):
    client.headers.update(api_key(engine, Role.CHANNEL, "web"))
    assert client.get(URL).status_code == 403


def test_without_a_key_it_is_401(client, engine):
    del client.headers["X-API-Key"]
    assert client.get(URL).status_code == 401
    assert client.put(URL, json=PROFILES).status_code == 401
    assert stored_versions(engine) == 0


def test_the_openapi_schema_documents_json_and_yaml_bodies(client):
    schema = client.get("/openapi.json").json()
    content = schema["paths"][URL]["put"]["requestBody"]["content"]
    assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/ProfileSet"}
    assert content["application/yaml"]["schema"]["type"] == "string"
    assert "ProfileSet" in schema["components"]["schemas"]


def test_concurrent_saves_each_get_their_own_version(engine):
    def save(i: int) -> int:
        cmd = ProfilesSave(profiles=PROFILES, comment=f"save {i}")
        return save_profiles(UnitOfWork(engine), OPS, cmd).version

    with ThreadPoolExecutor(4) as pool:
        versions = list(pool.map(save, range(8)))
    assert sorted(versions) == list(range(1, 9)) and stored_versions(engine) == 8
