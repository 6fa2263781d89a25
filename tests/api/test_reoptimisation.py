"""Batch re-optimisation of the backlog: a dry run proposes and changes nothing; applying moves each
order in its own transaction, skipping those that changed since."""

from sqlalchemy import text

from oms.services.actor import Role
from tests.api.test_capture_routing import capture, nodes_of
from tests.api.test_order_capture import reserved
from tests.factories import api_key, set_stock

URL = "/api/v1/routing/reoptimisations"


def propose(client, **body) -> dict:
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.json()
    return response.json()


def apply(client, run: dict):
    return client.post(f"{URL}/{run['id']}/apply")


def order(client, order_id: int) -> dict:
    return client.get(f"/api/v1/orders/{order_id}").json()


def koeln_order_then_paris_stock(client, engine, external_id="WEB-1") -> dict:
    """An order routed to Köln, the only stock there was; then the Paris store next door receives some."""
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    captured = capture(client, external_id)
    assert nodes_of(captured) == {"WH-KOELN"}
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    return captured


def test_a_dry_run_proposes_a_cheaper_plan_and_changes_nothing(client, engine):
    captured = koeln_order_then_paris_stock(client, engine)
    run = propose(client, comment="morning re-optimisation")
    proposal = run["proposal"]
    assert run["status"] == "proposed" and run["created_by"] == "test-ops-all" and run["outcome"] is None
    [change] = proposal["changes"]
    assert change["order_id"] == captured["id"] and change["order_version"] == 1
    assert [s["node_id"] for s in change["current"]] == ["WH-KOELN"]
    assert [s["node_id"] for s in change["proposed"]] == ["ST-PARIS"]
    assert change["proposed_score"] < change["current_score"]
    assert proposal["objective_proposed"] < proposal["objective_current"]
    assert proposal["lower_bound"] is not None and proposal["lower_bound"] <= proposal["objective_proposed"] + 1e-6
    assert nodes_of(order(client, captured["id"])) == {"WH-KOELN"}  # nothing moved
    assert reserved(engine, "WH-KOELN", "TSH-BLU-L") == 1 and reserved(engine, "ST-PARIS", "TSH-BLU-L") == 0
    assert client.get(f"{URL}/{run['id']}").json() == run


def test_applying_moves_the_order_with_its_reservation_capacity_decision_and_audit(client, engine):
    captured = koeln_order_then_paris_stock(client, engine)
    run = propose(client)
    applied = apply(client, run)
    assert applied.status_code == 200, applied.json()
    body = applied.json()
    assert body["status"] == "applied" and body["outcome"] == {"applied": [captured["id"]], "skipped": []}
    moved = order(client, captured["id"])
    assert nodes_of(moved) == {"ST-PARIS"} and moved["version"] == 2
    assert reserved(engine, "WH-KOELN", "TSH-BLU-L") == 0 and reserved(engine, "ST-PARIS", "TSH-BLU-L") == 1
    with engine.connect() as conn:
        usage = dict(conn.execute(text("SELECT node_id, sum(shipments) FROM node_capacity_usage GROUP BY 1")).all())
    assert usage.get("WH-KOELN", 0) == 0 and usage["ST-PARIS"] == 1
    decision = client.get(f"/api/v1/orders/{captured['id']}/routing-decision").json()
    assert decision["reason"] == f"batch:{run['id']}"
    assert [s["node_id"] for s in decision["decision"]["plan"]["shipments"]] == ["ST-PARIS"]
    event = client.get(f"/api/v1/orders/{captured['id']}/events").json()[-1]
    assert event["action"] == "order.rerouted" and event["after"]["moved"]["from"][0]["node_id"] == "WH-KOELN"
    again = apply(client, run)
    assert again.status_code == 409 and "applied already" in again.json()["detail"]


def test_an_order_changed_since_the_proposal_keeps_its_allocation(client, engine):
    captured = koeln_order_then_paris_stock(client, engine)
    run = propose(client)
    client.post(f"/api/v1/orders/{captured['id']}/hold", json={"reason": "customer called"})
    outcome = apply(client, run).json()["outcome"]
    assert outcome["applied"] == []
    [skipped] = outcome["skipped"]
    assert skipped["order_id"] == captured["id"] and "changed since the plan was made" in skipped["reason"]
    assert nodes_of(order(client, captured["id"])) == {"WH-KOELN"}


def test_an_order_released_since_the_proposal_is_skipped_and_the_rest_applied(client, engine):
    released = koeln_order_then_paris_stock(client, engine)
    set_stock(engine, "WH-KOELN", "TSH-BLU-M", 5)
    other = capture(client, "WEB-2", lines=[("TSH-BLU-M", 1)])
    set_stock(engine, "ST-PARIS", "TSH-BLU-M", 5)
    run = propose(client)
    assert {c["order_id"] for c in run["proposal"]["changes"]} == {released["id"], other["id"]}
    client.post(f"/api/v1/orders/{released['id']}/release")
    outcome = apply(client, run).json()["outcome"]
    assert outcome["applied"] == [other["id"]]
    assert [s["order_id"] for s in outcome["skipped"]] == [released["id"]]
    assert nodes_of(order(client, other["id"])) == {"ST-PARIS"}


def test_stock_taken_since_the_proposal_leaves_the_order_as_it_was(client, engine):
    captured = koeln_order_then_paris_stock(client, engine)
    run = propose(client)
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 0)
    [skipped] = apply(client, run).json()["outcome"]["skipped"]
    assert "ST-PARIS no longer holds 1 of TSH-BLU-L" in skipped["reason"]
    assert nodes_of(order(client, captured["id"])) == {"WH-KOELN"}
    assert reserved(engine, "WH-KOELN", "TSH-BLU-L") == 1


def test_a_backorder_is_allocated_once_stock_arrived(client, engine):
    backordered = capture(client, lines=[("JKT-RED-M", 2)])
    assert backordered["status"] == "backordered"
    set_stock(engine, "WH-LYON", "JKT-RED-M", 3)
    run = propose(client)
    [change] = run["proposal"]["changes"]
    assert (change["current_units"], change["proposed_units"]) == (0, 2)
    assert run["proposal"]["units_proposed"] == run["proposal"]["units_current"] + 2
    apply(client, run)
    assert order(client, backordered["id"])["status"] == "allocated"


def test_orders_the_engine_cannot_route_are_left_out_with_the_reason(client, engine):
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    pickup = capture(client, service_level="pickup", pickup_node_id="ST-PARIS")
    proposal = propose(client)["proposal"]
    assert proposal["orders_considered"] == 0 and proposal["changes"] == []
    assert proposal["orders_left_out"] == [
        {"order_id": pickup["id"], "reason": "a pickup order ships from the store the customer chose"}
    ]


def test_filters_choose_the_orders(client, engine):
    captured = koeln_order_then_paris_stock(client, engine)
    assert propose(client, node_id="WH-LYON")["proposal"]["orders_considered"] == 0
    assert propose(client, node_id="WH-KOELN")["proposal"]["orders_considered"] == 1
    assert propose(client, channel="marketplace")["proposal"]["orders_considered"] == 0
    assert propose(client, statuses=["backordered"])["proposal"]["orders_considered"] == 0
    assert captured["status"] == "allocated"


def test_bad_requests_and_roles_are_refused(client, engine):
    assert client.post(URL, json={"max_orders": 0}).status_code == 422
    assert client.post(URL, json={"statuses": ["shipped"]}).status_code == 422
    assert client.post(URL, json={"surprise": 1}).status_code == 422
    assert client.get(f"{URL}/999999").status_code == 404
    assert client.post(f"{URL}/999999/apply").status_code == 404
    viewer = api_key(engine, Role.VIEWER)
    assert client.post(URL, json={}, headers=viewer).status_code == 403
