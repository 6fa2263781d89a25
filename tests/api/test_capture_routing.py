"""Capture routes orders through the routing engine with the active profiles and rates, stores each
decision with its explanation, and counts the shipments each node takes on against its daily capacity."""

from sqlalchemy import text, update

from oms.db.tables import nodes
from oms.services.actor import Role
from tests.factories import api_key, order_body, set_stock

ORDERS = "/api/v1/orders"


def capture(client, external_id="WEB-1", lines=(("TSH-BLU-L", 1),), **overrides) -> dict:
    response = client.post(ORDERS, json=order_body(external_id, lines=list(lines), **overrides))
    assert response.status_code == 201, response.json()
    return response.json()


def nodes_of(order: dict) -> set[str]:
    return {a["node_id"] for line in order["lines"] for a in line["allocations"]}


def decision(client, order: dict) -> dict:
    response = client.get(f"{ORDERS}/{order['id']}/routing-decision")
    assert response.status_code == 200, response.json()
    return response.json()


def shipments_today(engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT node_id, sum(shipments) FROM node_capacity_usage GROUP BY node_id"))
        return {node: int(n) for node, n in rows if n}


def save_profiles(client, strategies: list[dict]) -> int:
    saved = client.put("/api/v1/routing/profiles", json={"version": 1, "strategies": strategies})
    assert saved.status_code == 200, saved.json()
    return saved.json()["version"]


def test_the_cheapest_node_ships_not_the_first_by_priority(client, engine):
    # Lyon comes first by priority, but the Paris store is next door to a Paris customer.
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    order = capture(client)
    assert nodes_of(order) == {"ST-PARIS"}
    explained = decision(client, order)
    chosen = explained["decision"]["plan"]["shipments"]
    assert [s["node_id"] for s in chosen] == ["ST-PARIS"] and chosen[0]["cost"] > 0
    verdicts = {c["node_id"]: c for c in explained["decision"]["candidates"]}
    assert verdicts["ST-PARIS"]["chosen"] and not verdicts["WH-LYON"]["chosen"]
    lyon, paris = (verdicts[n]["alone"]["shipping_cost"]["value"] for n in ("WH-LYON", "ST-PARIS"))
    assert paris < lyon
    assert explained["reason"] == "capture" and explained["actor"] == "test-ops-all"
    assert (explained["profiles_version"], explained["rates_version"]) == (0, 0)  # the built-in ones


def test_a_saved_profile_routes_the_next_order_and_the_decision_names_its_version(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    version = save_profiles(client, [{"name": "no-stores", "filters": {"ship_from_store": False}}])
    order = capture(client)
    assert nodes_of(order) == {"WH-LYON"}
    explained = decision(client, order)
    assert explained["profiles_version"] == version and explained["decision"]["strategy"] == "no-stores"
    paris = next(c for c in explained["decision"]["candidates"] if c["node_id"] == "ST-PARIS")
    assert paris["filtered_by"] == "ship_from_store" and paris["reason"] == "ship-from-store is disabled"


def test_under_ship_complete_an_order_no_plan_covers_falls_back_then_backorders(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 1)
    complete = {"name": "complete", "partial_fulfilment": "ship_complete", "max_split": 1}
    save_profiles(client, [complete])
    order = capture(client, lines=[("TSH-BLU-L", 2)])
    assert order["status"] == "backordered" and nodes_of(order) == set()
    assert decision(client, order)["decision"]["attempts"] == [
        {"strategy": "complete", "outcome": "ships nothing of 2 units"}
    ]
    save_profiles(client, [complete | {"fallback": "partial"},
                           {"name": "partial", "partial_fulfilment": "ship_available_backorder_rest"}])  # fmt: skip
    order = capture(client, "WEB-2", lines=[("TSH-BLU-L", 2)])
    assert order["status"] == "partially_allocated" and nodes_of(order) == {"WH-LYON"}
    assert [a["strategy"] for a in decision(client, order)["decision"]["attempts"]] == ["complete", "partial"]


def test_each_node_an_order_ships_from_takes_one_shipment_of_its_capacity_until_it_is_cancelled(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 1)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 1)
    split = capture(client, lines=[("TSH-BLU-L", 2)])
    assert nodes_of(split) == {"WH-LYON", "WH-KOELN"}
    assert shipments_today(engine) == {"WH-LYON": 1, "WH-KOELN": 1}
    client.post(f"{ORDERS}/{split['id']}/cancel", json={"reason": "customer request"})
    assert shipments_today(engine) == {}


def test_a_node_whose_daily_capacity_is_used_up_is_passed_over(client, engine):
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    with engine.begin() as conn:
        conn.execute(update(nodes).where(nodes.c.id == "ST-PARIS").values(daily_capacity=1))
    assert nodes_of(capture(client, "WEB-1")) == {"ST-PARIS"}
    second = capture(client, "WEB-2")
    assert nodes_of(second) == {"WH-LYON"}
    paris = next(c for c in decision(client, second)["decision"]["candidates"] if c["node_id"] == "ST-PARIS")
    assert paris["filtered_by"] == "require_capacity"


def test_a_pickup_order_reserves_at_its_store_and_says_so(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    order = capture(client, service_level="pickup", pickup_node_id="ST-PARIS")
    assert nodes_of(order) == {"ST-PARIS"}
    explained = decision(client, order)["decision"]
    assert explained["attempts"] == [
        {"strategy": "pickup", "outcome": "reserves 1 of 1 units at the collecting store ST-PARIS"}
    ]
    assert explained["plan"] is None and explained["candidates"][0]["node_id"] == "ST-PARIS"


def test_an_order_to_a_country_without_geography_is_allocated_by_node_priority(client, engine):
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    ship_to = order_body()["ship_to"] | {"country": "JP", "postal_code": "100-0001"}
    order = capture(client, ship_to=ship_to)
    assert nodes_of(order) == {"WH-KOELN"}
    (attempt,) = decision(client, order)["decision"]["attempts"]
    assert attempt["strategy"] == "node-priority" and "no geography is known for JP" in attempt["outcome"]


def test_decisions_are_kept_newest_first_and_hidden_from_other_channels(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    order = capture(client)
    history = client.get(f"{ORDERS}/{order['id']}/routing-decisions").json()
    assert [d["reason"] for d in history] == ["capture"] and history[0]["order_id"] == order["id"]
    other = api_key(engine, Role.CHANNEL, "marketplace")
    response = client.get(f"{ORDERS}/{order['id']}/routing-decision", headers=other)
    assert response.status_code == 404 and response.headers["content-type"] == "application/problem+json"
    assert client.get(f"{ORDERS}/999999/routing-decision").status_code == 404


def test_with_the_built_in_profiles_stock_beyond_every_node_capacity_is_still_reserved(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 5)
    with engine.begin() as conn:
        conn.execute(update(nodes).values(daily_capacity=0))
    order = capture(client)
    assert order["status"] == "allocated" and nodes_of(order) == {"WH-LYON"}
    attempts = decision(client, order)["decision"]["attempts"]
    assert [a["strategy"] for a in attempts] == ["one-shipment", "split-up-to-3", "beyond-capacity"]
