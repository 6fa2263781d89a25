"""Many clients in several processes race for the last units of stock through the real API."""

import multiprocessing
import threading

import httpx
from sqlalchemy import text

from tests.factories import add_network, order_body, set_stock
from tests.integration.conftest import ADMIN_KEY

PROCESSES, THREADS_PER_PROCESS = 4, 15  # 60 concurrent clients


def _client_process(url: str, bodies: list[dict], results) -> None:
    barrier = threading.Barrier(len(bodies))
    out: list[tuple[int, str]] = []

    def one(body: dict) -> None:
        with httpx.Client(base_url=url, headers={"X-API-Key": ADMIN_KEY}, timeout=60) as client:
            barrier.wait()
            response = client.post("/api/v1/orders", json=body)
            out.append((response.status_code, response.json().get("status", response.text)))

    threads = [threading.Thread(target=one, args=(b,)) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.extend(out)


def _race(url: str, bodies: list[dict]) -> list[tuple[int, str]]:
    with multiprocessing.Manager() as manager:
        results = manager.list()
        chunks = [bodies[i::PROCESSES] for i in range(PROCESSES)]
        procs = [multiprocessing.Process(target=_client_process, args=(url, c, results)) for c in chunks]
        for p in procs:
            p.start()
        for p in procs:
            p.join(timeout=120)
        return list(results)


def _reserved(engine, sku: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT coalesce(sum(reserved), 0) FROM inventory WHERE sku = :s"), {"s": sku}).scalar()


def test_sixty_clients_racing_for_the_last_seven_units_reserve_exactly_seven(engine, live_server):
    add_network(engine)
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=5, safety=1)  # 4 sellable
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=3)  # 3 sellable
    bodies = [order_body(f"RACE-{i}", lines=[("JKT-RED-M", 1)]) for i in range(PROCESSES * THREADS_PER_PROCESS)]

    results = _race(live_server, bodies)

    assert len(results) == len(bodies)
    assert {code for code, _ in results} == {201}, results
    statuses = [status for _, status in results]
    assert statuses.count("allocated") == 7
    assert statuses.count("backordered") == len(bodies) - 7
    assert _reserved(engine, "JKT-RED-M") == 7
    with engine.connect() as conn:
        per_node = dict(conn.execute(text("SELECT node_id, reserved FROM inventory WHERE sku = 'JKT-RED-M'")).all())
    assert per_node == {"WH-LYON": 4, "WH-KOELN": 3}


def test_orders_locking_skus_in_opposite_orders_never_deadlock(engine, live_server):
    add_network(engine)
    for sku in ("TSH-BLU-L", "TSH-BLU-M"):
        set_stock(engine, "WH-LYON", sku, on_hand=20)
        set_stock(engine, "WH-KOELN", sku, on_hand=20)
    bodies = [
        order_body(f"X-{i}", lines=[("TSH-BLU-L", 1), ("TSH-BLU-M", 1)][:: 1 if i % 2 else -1])
        for i in range(PROCESSES * THREADS_PER_PROCESS)
    ]

    results = _race(live_server, bodies)

    assert {code for code, _ in results} == {201}, results
    assert _reserved(engine, "TSH-BLU-L") == 40 and _reserved(engine, "TSH-BLU-M") == 40
    statuses = [status for _, status in results]
    assert (statuses.count("allocated"), statuses.count("backordered")) == (40, len(bodies) - 40)


def test_retries_racing_on_one_external_id_create_one_order(engine, live_server):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=100)
    bodies = [order_body("SAME-ID", lines=[("TSH-BLU-L", 2)]) for _ in range(PROCESSES * THREADS_PER_PROCESS)]

    results = _race(live_server, bodies)

    codes = sorted(code for code, _ in results)
    assert codes.count(201) == 1 and codes.count(200) == len(bodies) - 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM orders")).scalar() == 1
    assert _reserved(engine, "TSH-BLU-L") == 2
