"""The anomaly scans over HTTP: run one as the caller, read the latest with their digests; only
alerts:manage may run one, and a refused one writes nothing."""

from oms.services.actor import Role
from tests.factories import api_key


def test_ops_runs_a_scan_and_reads_it_back_with_its_digest(client):
    assert client.get("/api/v1/anomalies/scans").json() == []
    answer = client.post("/api/v1/anomalies/scans")
    assert answer.status_code == 201, answer.text
    scan = answer.json()
    assert scan["actor"] == "test-ops-all" and scan["digest_by"] == "template"
    assert scan["digest"].startswith("Anomaly scan at") and set(scan["summary"]["checks"]) >= {
        "delay",
        "stockout",
    }
    assert client.get("/api/v1/anomalies/scans", params={"limit": 1}).json() == [scan]
    assert client.get("/api/v1/anomalies/scans", params={"limit": 0}).status_code == 422


def test_a_viewer_reads_scans_but_may_not_run_one(client, engine):
    viewer = api_key(engine, Role.VIEWER)
    refused = client.post("/api/v1/anomalies/scans", headers=viewer)
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    assert client.get("/api/v1/anomalies/scans", headers=viewer).json() == []
