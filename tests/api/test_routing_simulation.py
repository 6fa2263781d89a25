"""POST /api/v1/routing/simulate: routing decisions with their explanation, changing nothing."""

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.factories import api_key, order_body, set_stock

TO_LYON = {"postal_code": "69003", "country": "FR"}
WAREHOUSES_ONLY = {
    "version": 1,
    "strategies": [{
        "name": "warehouses",
        "filters": {"node_types": ["warehouse"]},
        "objective": {"shipping_cost": 1.0, "transit_days": 1.0},
        "max_split": 2,
    }],
}  # fmt: skip


@pytest.fixture
def stocked(client, engine):
    for node in ("WH-LYON", "WH-KOELN", "ST-PARIS"):
        set_stock(engine, node, "TSH-BLU-L", 10)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", 4)
    return client


def simulate(client, **body):
    return client.post("/api/v1/routing/simulate", json=body)


def given(lines, destination=TO_LYON, **extra) -> dict:
    return {"channel": "web", "destination": destination, "lines": [{"sku": s, "quantity": q} for s, q in lines]} | extra


def test_a_given_order_is_routed_to_the_best_node_with_every_candidate_explained(stocked):
    response = simulate(stocked, orders=[given([("TSH-BLU-L", 2)])], profiles=WAREHOUSES_ONLY)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["profiles_version"] is None and result["rates_version"] == 0  # a draft, built-in rates
    [routed] = result["decisions"]
    decision = routed["decision"]
    assert routed["index"] == 0 and routed["order_id"] is None and routed["decision_ms"] >= 0
    assert decision["strategy"] == "warehouses"
    [shipment] = decision["plan"]["shipments"]
    assert shipment["node_id"] == "WH-LYON" and shipment["lines"] == [{"line_no": 1, "sku": "TSH-BLU-L", "quantity": 2}]
    verdicts = {c["node_id"]: c for c in decision["candidates"]}
    assert verdicts["ST-PARIS"]["filtered_by"] == "node_types" and verdicts["ST-PARIS"]["reason"]
    assert verdicts["WH-LYON"]["chosen"] and not verdicts["WH-KOELN"]["chosen"]
    lyon, koeln = verdicts["WH-LYON"]["alone"], verdicts["WH-KOELN"]["alone"]
    assert lyon["transit_days"]["value"] < koeln["transit_days"]["value"]  # domestic against cross-border
    assert set(decision["plan"]["breakdown"]) >= {"shipping_cost", "transit_days"}


def test_what_only_another_node_holds_is_split_or_backordered(stocked):
    order = given([("TSH-BLU-L", 1), ("JKT-RED-M", 6)])
    [routed] = simulate(stocked, orders=[order], profiles=WAREHOUSES_ONLY).json()["decisions"]
    plan = routed["decision"]["plan"]
    shipped = {(s["node_id"], line["sku"]): line["quantity"] for s in plan["shipments"] for line in s["lines"]}
    assert shipped[("WH-KOELN", "JKT-RED-M")] == 4
    assert plan["backorders"] == [{"line_no": 2, "sku": "JKT-RED-M", "quantity": 2}]


def test_a_captured_order_is_routed_again_and_nothing_changes(stocked, engine):
    captured = stocked.post("/api/v1/orders", json=order_body(lines=[("TSH-BLU-L", 3)])).json()

    def state():
        with engine.connect() as conn:
            return conn.execute(text(
                "SELECT (SELECT sum(reserved) FROM inventory), (SELECT count(*) FROM allocations),"
                " (SELECT count(*) FROM audit_events), (SELECT count(*) FROM outbox)"
            )).one()  # fmt: skip

    before = state()
    response = simulate(stocked, order_ids=[captured["id"]])
    assert response.status_code == 200, response.text
    [routed] = response.json()["decisions"]
    assert routed["order_id"] == captured["id"] and routed["decision"]["plan"]["shipments"]
    assert response.json()["profiles_version"] == 0  # the built-in profiles
    assert state() == before


def test_bad_requests_are_refused_with_pointers(stocked):
    invalid_draft = simulate(stocked, orders=[given([("TSH-BLU-L", 1)])],
                             profiles={"strategies": [{"name": "x", "max_split": 0}]})  # fmt: skip
    assert invalid_draft.status_code == 422
    assert all(e["pointer"].startswith("/profiles/") for e in invalid_draft.json()["errors"])
    unknown_sku = simulate(stocked, orders=[given([("NO-SUCH", 1)])])
    assert unknown_sku.status_code == 422 and unknown_sku.json()["errors"][0]["pointer"] == "/orders/0/lines"
    assert simulate(stocked).status_code == 422  # no orders at all
    assert simulate(stocked, order_ids=[999999]).status_code == 404


def test_readers_of_routing_may_simulate_others_may_not(stocked, engine):
    body = {"orders": [given([("TSH-BLU-L", 1)])]}
    viewer = stocked.post("/api/v1/routing/simulate", json=body, headers=api_key(engine, Role.VIEWER))
    assert viewer.status_code == 200
    backoffice = stocked.post("/api/v1/routing/simulate", json=body, headers=api_key(engine, Role.BACKOFFICE))
    assert backoffice.status_code == 403
