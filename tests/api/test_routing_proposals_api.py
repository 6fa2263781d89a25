"""Routing proposals and profile reverts over HTTP: who may decide, problem bodies for unknown and
decided proposals, and the OpenAPI document."""

from oms.domain.routing.profiles import ProfileSet
from oms.services.actor import Role
from oms.services.routing_proposals import propose
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, api_key

URL = "/api/v1/routing/proposals"
CANDIDATE = {
    "version": 1,
    "strategies": [{"name": "cheapest", "objective": {"shipping_cost": 1}, "max_split": 2}],
}


def proposed(engine) -> int:
    evidence = {"replay": {"figures": {"current": {"on_time_rate": 0.8}}}}
    return propose(UnitOfWork(engine), ADMIN, ProfileSet.model_validate(CANDIDATE), evidence, "why", None).id


def test_a_person_reads_the_proposals_and_approves_one(client, engine):
    pid = proposed(engine)
    listed = client.get(URL).json()["proposals"]
    assert [(p["id"], p["status"], p["summary"]) for p in listed] == [(pid, "proposed", "why")]
    assert (
        client.get(f"{URL}/{pid}").json()["evidence"]["replay"]["figures"]["current"]["on_time_rate"] == 0.8
    )
    approved = client.post(f"{URL}/{pid}/approve", json={"comment": "go"})
    assert approved.status_code == 200, approved.text
    assert (approved.json()["status"], approved.json()["applied_version"]) == ("approved", 1)
    active = client.get("/api/v1/routing/profiles").json()
    assert active["version"] == 1 and active["profiles"]["strategies"][0]["name"] == "cheapest"
    assert client.get(URL, params={"status": "proposed"}).json() == {"proposals": []}


def test_deciding_twice_is_a_conflict_and_an_unknown_proposal_is_not_found(client, engine):
    pid = proposed(engine)
    assert client.post(f"{URL}/{pid}/reject").status_code == 200
    again = client.post(f"{URL}/{pid}/approve", json={"comment": ""})
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert "rejected already" in again.json()["detail"]
    missing = client.post(f"{URL}/999/reject")
    assert missing.status_code == 404 and missing.json()["title"] == "Not found"
    assert client.get(f"{URL}/999").status_code == 404
    assert client.get("/api/v1/routing/profiles").json()["version"] == 0


def test_a_viewer_reads_but_may_not_decide_and_no_key_is_unauthorised(client, engine):
    pid = proposed(engine)
    viewer = api_key(engine, Role.VIEWER)
    assert client.get(URL, headers=viewer).status_code == 200
    assert client.post(f"{URL}/{pid}/approve", headers=viewer).status_code == 403
    assert (
        client.post("/api/v1/routing/profiles/revert", json={"to_version": 0}, headers=viewer).status_code
        == 403
    )
    client.headers.pop("X-API-Key")
    assert client.post(f"{URL}/{pid}/approve").status_code == 401
    assert client.get(f"{URL}/{pid}", headers=viewer).json()["status"] == "proposed"


def test_a_revert_saves_a_new_version_equal_to_the_old_one(client):
    first = client.put("/api/v1/routing/profiles", json=CANDIDATE).json()
    client.put("/api/v1/routing/profiles", json={**CANDIDATE, "strategies": [{"name": "other"}]})
    reverted = client.post("/api/v1/routing/profiles/revert", json={"to_version": 1, "comment": "undo"})
    assert reverted.status_code == 200, reverted.text
    body = reverted.json()
    assert (body["version"], body["comment"]) == (3, "undo")
    assert {**body["profiles"], "version": 1} == first["profiles"]
    assert client.post("/api/v1/routing/profiles/revert", json={"to_version": 9}).status_code == 404
    bad = client.post("/api/v1/routing/profiles/revert", json={"to_version": -1, "extra": 1})
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["errors"]} == {"to_version", "extra"}


def test_the_openapi_document_names_the_problems(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths[f"{URL}/{{proposal_id}}/approve"]["post"]["responses"]) >= {
        "200",
        "401",
        "403",
        "404",
        "409",
    }
    assert set(paths["/api/v1/routing/profiles/revert"]["post"]["responses"]) >= {"200", "404", "422"}
    assert paths[URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProposalsPublic"
    }
