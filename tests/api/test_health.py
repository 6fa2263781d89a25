from fastapi.testclient import TestClient

from oms.api.app import create_app


def test_health_reports_ok_when_the_database_answers(engine):
    with TestClient(create_app(engine)) as client:
        response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_route_answers_a_problem_body(engine):
    with TestClient(create_app(engine)) as client:
        response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 404
