"""WMS events racing each other through the real API (two worker processes): the same event posted at
once from several threads is applied once; different events on one fulfilment order apply one after the
other and leave stock true."""

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import text

from tests.factories import add_network, set_stock
from tests.fulfilment_factories import event, shipped
from tests.integration.conftest import ADMIN_KEY

THREADS = 8


@pytest.fixture
def released(live_server, engine):
    """A live API and an order of 3 T-shirts released to Lyon (which holds 10)."""
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=10)
    api = httpx.Client(base_url=live_server + "/api/v1", headers={"X-API-Key": ADMIN_KEY}, timeout=30)
    body = {"channel": "web", "external_id": "WEB-RACE", "lines": [{"sku": "TSH-BLU-L", "quantity": 3, "unit_price": 9}],
            "customer": {"name": "Camille Martin", "email": "camille@example.fr"},
            "ship_to": {"name": "Camille Martin", "line1": "12 rue Oberkampf", "postal_code": "75011", "city": "Paris",
                        "country": "FR"}}  # fmt: skip
    order = api.post("/orders", json=body).json()
    api.post(f"/orders/{order['id']}/release").raise_for_status()
    [fo] = api.get("/fulfilment-orders", params={"order": order["id"]}).json()["items"]
    yield api, fo
    api.close()


def race(api: httpx.Client, bodies: list[dict]) -> list[httpx.Response]:
    """Post every body at once, one thread each."""
    start = threading.Barrier(len(bodies))

    def post(body: dict) -> httpx.Response:
        start.wait()
        return api.post("/wms/events", json=body)

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def stock(engine) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT on_hand, reserved FROM inventory WHERE node_id = 'WH-LYON' AND sku = 'TSH-BLU-L'")).one())


def count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_the_same_shipment_posted_from_many_threads_at_once_is_applied_once(engine, released):
    api, fo = released
    answers = race(api, [shipped(fo["id"], event_id="SHIP-1")] * THREADS)
    assert sorted(r.status_code for r in answers) == [200] * (THREADS - 1) + [201]
    assert len({r.text for r in answers}) == 1  # every retry got the first answer, word for word
    assert (count(engine, "shipments"), count(engine, "wms_events")) == (1, 1)
    assert stock(engine) == (7, 0)


def test_different_events_on_one_fulfilment_order_apply_one_after_the_other(engine, released):
    api, fo = released
    bodies = [shipped(fo["id"], n, event_id=f"SHIP-{n}", lines=[{"line_no": 1, "quantity": 1}]) for n in range(THREADS)]
    answers = race(api, bodies)
    codes = sorted(r.status_code for r in answers)
    assert codes == [201] * 3 + [422] * (THREADS - 3)  # three units to ship: the rest find none open
    assert count(engine, "shipments") == 3 and stock(engine) == (7, 0)
    assert api.get(f"/fulfilment-orders/{fo['id']}").json()["status"] == "shipped"
    late = api.post("/wms/events", json=event(fo["id"], "picked", 1))
    assert (late.status_code, late.json()["applied"]) == (201, False)


@pytest.mark.parametrize("attempt", range(2))
def test_a_short_pick_racing_a_shipment_leaves_stock_true_whichever_wins(engine, released, attempt):
    api, fo = released
    short = event(fo["id"], "short_picked", 1, event_id="SHORT", lines=[{"line_no": 1, "quantity": 2}])
    ship_all, short_first = race(api, [shipped(fo["id"], 2, event_id="SHIP"), short])
    assert ship_all.status_code == 201 and short_first.status_code in (201, 422)  # 422: no units left open
    shipped_units = 3 if short_first.status_code == 422 else 1
    assert stock(engine) == (7, 0)  # 3 left Lyon: shipped, or found missing
    with engine.connect() as conn:
        koeln = conn.execute(text("SELECT reserved FROM inventory WHERE node_id = 'WH-KOELN'")).scalar()
        units = conn.execute(text("SELECT sum(units) FROM shipments")).scalar()
    assert (units, koeln) == (shipped_units, 3 - shipped_units)  # the short units went to Köln
