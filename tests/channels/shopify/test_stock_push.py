"""Stock pushed to Shopify per location against a local stand-in of its Admin API: what the channel may
sell, only what changed, retried when Shopify limits or fails, remembered when it refuses."""

import time

import pytest
from sqlalchemy import insert, text

from oms.channels.shopify import admin_api
from oms.db.tables import channel_protections
from oms.domain.webhook_retry import RetryPolicy
from oms.services import channel_shopify_stock
from oms.services.actor import Role
from oms.services.channel_shopify_stock import push_stock
from tests.channels.shopify.shop import connect_shop
from tests.channels.shopify.standin import ShopifyStandIn, shopify_sets
from tests.factories import api_key, order_body, set_stock

LOCATIONS = {"WH-LYON": 65544149, "ST-PARIS": 65544150}
ITEMS = {"TSH-BLU-L": 49220101, "JKT-RED-M": 49220102}
PUSH = "/api/v1/channels/web/shopify/inventory/push"
MAPPING = "/api/v1/channels/web/shopify/inventory-items"


@pytest.fixture
def stand_in(shop, engine):
    """A stand-in Shopify whose script a test may replace; the shop's locations and items mapped to it."""
    with ShopifyStandIn() as server:
        connect_shop(engine, admin_url=server.url, locations=LOCATIONS)
        mapping = {"items": [{"sku": sku, "inventory_item_id": item} for sku, item in ITEMS.items()]}
        assert shop.put(MAPPING, json=mapping, headers=api_key(engine, Role.ADMIN)).status_code == 200
        set_stock(engine, "ST-PARIS", "TSH-BLU-L", 3)
        yield server


@pytest.fixture
def quick_backoff(monkeypatch):
    monkeypatch.setattr(admin_api, "BACKOFF", RetryPolicy(base_s=0.01, cap_s=0.02))


def expected_levels(client) -> list[tuple[int, int, int]]:
    """What Shopify should show, from the ATP service as the channel sees it."""
    levels = {}
    for sku, item in ITEMS.items():
        atp = client.get("/api/v1/atp", params={"sku": sku, "channel": "web"}).json()
        by_node = {node["node_id"]: node["atp"] for node in atp["nodes"]}
        for node, location in LOCATIONS.items():
            levels[(location, item)] = by_node.get(node, 0)
    return sorted((location, item, units) for (location, item), units in levels.items())


def test_stock_is_pushed_per_location_as_the_channel_may_sell_it_then_only_what_changed(shop, engine, stand_in):
    with engine.begin() as conn:  # 4 T-shirts at Lyon are kept for other channels
        conn.execute(insert(channel_protections), {"channel_id": "web", "sku": "TSH-BLU-L", "node_id": "WH-LYON",
                                                   "quantity": 4})  # fmt: skip
    first = shop.post(PUSH).json()

    assert first["pushed"] == len(LOCATIONS) * len(ITEMS) and first["left"] == 0 and first["refused"] == 0
    assert sorted(stand_in.levels()) == expected_levels(shop)
    assert (65544149, ITEMS["TSH-BLU-L"], 10 - 4) in stand_in.levels()
    assert {r.path for r in stand_in.requests} == {"/admin/api/2024-10/inventory_levels/set.json"}
    assert {r.headers["X-Shopify-Access-Token"] for r in stand_in.requests} == {"shpat_test_token"}

    assert shop.post(PUSH).json()["pushed"] == 0 and len(stand_in.requests) == 4
    assert shop.post("/api/v1/orders", json=order_body("WEB-77", lines=[("TSH-BLU-L", 2)])).status_code == 201
    assert shop.post(PUSH).json()["pushed"] == 1
    changed = stand_in.levels()[4:]
    assert len(changed) == 1 and changed[0] in expected_levels(shop)


def test_a_rate_limited_push_waits_for_retry_after_and_a_failing_one_backs_off(shop, engine, stand_in,
                                                                                  quick_backoff):  # fmt: skip
    def limited_then_failing(n, request):
        if n == 1:
            return 429, {"Retry-After": "0.3"}, {"errors": "Exceeded 2 calls per second for api client."}
        if n == 2:
            return 503, {}, {"errors": "Service unavailable"}
        return shopify_sets(n, request)

    stand_in.script = limited_then_failing
    started = time.monotonic()
    result = shop.post(PUSH).json()

    assert result["pushed"] == 4 and time.monotonic() - started >= 0.3
    assert len(stand_in.requests) == 6 and stand_in.levels()[0] == stand_in.levels()[1] == stand_in.levels()[2]
    assert sorted(set(stand_in.levels())) == expected_levels(shop)


def test_a_refused_level_keeps_shopify_answer_and_is_not_sent_again_until_it_changes(shop, engine, stand_in):
    untracked = ITEMS["JKT-RED-M"]

    def refusing(n, request):
        if request.body["inventory_item_id"] == untracked:
            return 422, {}, {"errors": ["Inventory item does not have inventory tracking enabled"]}
        return shopify_sets(n, request)

    stand_in.script = refusing
    assert shop.post(PUSH).json() | {"channel_id": None} == {"channel_id": None, "pushed": 2, "refused": 2, "left": 0,
                                                             "unavailable": None, "busy": False}  # fmt: skip
    items = {item["sku"]: item for item in shop.get(MAPPING).json()}
    assert all("inventory tracking" in level["refused"] for level in items["JKT-RED-M"]["levels"])
    assert [level["refused"] for level in items["TSH-BLU-L"]["levels"]] == [None, None]

    assert shop.post(PUSH).json()["refused"] == 0 and len(stand_in.requests) == 4
    set_stock(engine, "WH-LYON", "JKT-RED-M", 6)
    assert shop.post(PUSH).json()["refused"] == 1 and stand_in.levels()[-1] == (65544149, untracked, 6)


@pytest.mark.parametrize(("status", "errors"), [
    (401, "[API] Invalid API key or access token (unrecognized login or wrong password)"),
    (403, "[API] This action requires merchant approval for write_inventory scope."),
    (423, "Unavailable Shop"),
])  # fmt: skip
def test_a_refusal_of_the_app_itself_stops_the_run_and_marks_no_level_sent(shop, engine, stand_in, status, errors):
    stand_in.script = lambda n, request: (status, {}, {"errors": errors})
    result = shop.post(PUSH).json()

    assert (result["pushed"], result["refused"], result["left"]) == (0, 0, 4) and f"HTTP {status}" in result["unavailable"]
    assert len(stand_in.requests) == 1  # not retried, and not tried level after level
    assert shop.get(MAPPING).json()[0]["levels"] == []
    stand_in.script = shopify_sets  # the token renewed, the shop unlocked
    assert shop.post(PUSH).json()["pushed"] == 4


def test_when_shopify_stays_unavailable_the_run_stops_and_the_next_sends_everything(shop, engine, stand_in,
                                                                                     quick_backoff):  # fmt: skip
    stand_in.script = lambda n, request: (502, {}, {"errors": "Bad gateway"})
    result = shop.post(PUSH).json()

    assert result["pushed"] == 0 and result["left"] == 4 and "HTTP 502" in result["unavailable"]
    assert len(stand_in.requests) == admin_api.AdminApi.max_attempts  # one level tried, then the run stops
    stand_in.script = shopify_sets
    assert shop.post(PUSH).json()["pushed"] == 4


def test_the_worker_job_pushes_every_shopify_channel_with_locations(shop, engine, stand_in):
    assert push_stock(engine) == 4
    assert push_stock(engine) == 0 and len(stand_in.requests) == 4


def test_the_worker_job_does_nothing_without_a_shopify_channel_to_push(engine):
    assert push_stock(engine) == 0


def test_a_channel_another_process_is_pushing_is_skipped(shop, engine, stand_in):
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(hashtext('oms.shopify_stock'), hashtext('web'))"))
        assert shop.post(PUSH).json()["busy"] is True
        conn.execute(text("SELECT pg_advisory_unlock(hashtext('oms.shopify_stock'), hashtext('web'))"))
    assert stand_in.requests == []


def test_the_mapping_is_for_admins_and_refused_whole_when_a_sku_is_unknown(shop, engine, stand_in):
    admin = api_key(engine, Role.ADMIN)
    shop.post(PUSH)
    good = {"items": [{"sku": "TSH-BLU-L", "inventory_item_id": 49220101, "variant_id": 47120917282898}]}
    assert shop.put(MAPPING, json=good).status_code == 403  # ops may push, not remap
    unknown = {"items": good["items"] + [{"sku": "NOPE", "inventory_item_id": 5}]}
    response = shop.put(MAPPING, json=unknown, headers=admin)
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/items/1/sku"
    twice = {"items": good["items"] + [{"sku": "JKT-RED-M", "inventory_item_id": 49220101}]}
    assert shop.put(MAPPING, json=twice, headers=admin).status_code == 422
    assert shop.put("/api/v1/channels/b2b/shopify/inventory-items", json=good, headers=admin).status_code == 404
    assert [item["sku"] for item in shop.get(MAPPING).json()] == sorted(ITEMS)  # unchanged

    assert shop.put(MAPPING, json=good, headers=admin).json() == {"channel_id": "web", "items": 1}
    [item] = shop.get(MAPPING).json()
    assert item["variant_id"] == 47120917282898 and len(item["levels"]) == 2
    with engine.connect() as conn:  # the jacket's levels are forgotten with its mapping
        assert conn.execute(text("SELECT count(*) FROM shopify_inventory_levels")).scalar_one() == 2


@pytest.fixture
def stock_reads(monkeypatch) -> list:
    """One entry per run that read the stock to compute the levels."""
    reads, real = [], channel_shopify_stock._levels
    monkeypatch.setattr(channel_shopify_stock, "_levels", lambda *args: reads.append(args[1]) or real(*args))
    return reads


def test_an_idle_run_does_not_read_the_stock_and_any_change_the_levels_come_from_is_pushed(
    shop, engine, stand_in, stock_reads
):
    def pushed_then_idle() -> list[tuple[int, int, int]]:
        """The levels a run pushed, after checking that the run after it found nothing to read."""
        sent = len(stand_in.requests)
        push_stock(engine)
        reads = len(stock_reads)
        assert push_stock(engine) == 0 and len(stock_reads) == reads
        return stand_in.levels()[sent:]

    assert len(pushed_then_idle()) == 4 and len(stock_reads) == 1
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 7)
    assert pushed_then_idle() == [(65544149, ITEMS["TSH-BLU-L"], 7)]
    with engine.begin() as conn:
        conn.execute(insert(channel_protections), {"channel_id": "web", "sku": "JKT-RED-M", "quantity": 4})
    assert pushed_then_idle() == [(65544149, ITEMS["JKT-RED-M"], 10 - 4)]
    with engine.begin() as conn:
        conn.execute(text("UPDATE nodes SET active = false WHERE id = 'ST-PARIS'"))
    assert pushed_then_idle() == [(65544150, ITEMS["TSH-BLU-L"], 0)]
    connect_shop(engine, admin_url=stand_in.url, locations=LOCATIONS | {"WH-KOELN": 65544151})
    assert sorted(pushed_then_idle()) == [(65544151, item, 0) for item in sorted(ITEMS.values())]
    with engine.begin() as conn:  # what was sent, forgotten: everything is sent again
        conn.execute(text("DELETE FROM shopify_inventory_levels"))
    assert len(pushed_then_idle()) == 6


def test_a_run_cut_short_is_carried_on_by_the_next_before_runs_go_idle(shop, engine, stand_in, stock_reads,
                                                                       monkeypatch):  # fmt: skip
    monkeypatch.setattr(channel_shopify_stock, "MAX_PER_RUN", 3)
    assert [push_stock(engine) for _ in range(3)] == [3, 1, 0]
    assert len(stock_reads) == 2 and sorted(stand_in.levels()) == expected_levels(shop)
