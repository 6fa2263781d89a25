"""The demo history as execution left it: every demo shipment came from a fulfilment order, carries its
lines, and counts on its order lines; open fulfilment orders hold their stock; and the demo WMS key
reports on the demo's own open fulfilment orders like any other."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from oms.api.app import create_app
from oms.services.demo import seed_demo
from tests.factories import forget_cached_reads
from tests.fulfilment_factories import positions, shipped

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)


@pytest.fixture
def demo(engine, tmp_path):
    forget_cached_reads()
    return engine, seed_demo(engine, tmp_path, days=5, now=NOW)


def value(engine, sql: str):
    with engine.connect() as conn:
        return conn.execute(text(sql)).scalar()


def test_every_demo_shipment_comes_from_a_fulfilment_order_and_carries_its_lines(demo):
    engine, _ = demo
    assert value(engine, "SELECT count(*) FROM shipments") > 0
    assert value(engine, "SELECT count(*) FROM shipments s LEFT JOIN fulfilment_orders f "
                         "ON f.id = s.fulfilment_order_id WHERE f.status IS DISTINCT FROM 'shipped'") == 0
    assert value(engine, "SELECT count(*) FROM shipments s WHERE s.units <> "
                         "(SELECT sum(quantity) FROM shipment_lines WHERE shipment_id = s.id)") == 0
    assert value(engine, "SELECT count(*) FROM order_lines l WHERE l.shipped_quantity <> "
                         "(SELECT coalesce(sum(quantity), 0) FROM shipment_lines WHERE order_line_id = l.id)") == 0
    assert value(engine, "SELECT count(*) FROM order_lines WHERE status = 'delivered' "
                         "AND delivered_quantity <> quantity") == 0


def test_open_demo_fulfilment_orders_hold_exactly_their_open_units(demo):
    engine, _ = demo
    assert value(engine, "SELECT count(*) FROM fulfilment_orders WHERE status = 'released'") > 0
    assert value(engine, """
        SELECT count(*) FROM fulfilment_order_lines fl JOIN fulfilment_orders f ON f.id = fl.fulfilment_order_id
        WHERE f.status = 'released' AND fl.quantity <> (
          SELECT coalesce(sum(a.quantity), 0) FROM allocations a
          WHERE a.fulfilment_order_id = f.id AND a.order_line_id = fl.order_line_id)""") == 0
    assert value(engine, "SELECT count(*) FROM allocations a JOIN orders o ON o.id = a.order_id "
                         "WHERE (a.fulfilment_order_id IS NULL) <> (o.status = 'on_hold')") == 0


def test_the_demo_wms_key_ships_an_open_demo_fulfilment_order_of_its_node(demo):
    engine, report = demo
    fo_id = value(engine, "SELECT min(id) FROM fulfilment_orders WHERE node_id = 'WH-LYON' AND status = 'released'")
    sku = value(engine, f"SELECT min(sku) FROM fulfilment_order_lines WHERE fulfilment_order_id = {fo_id}")
    wms = {"X-API-Key": report.keys["wms"]}
    with TestClient(create_app(engine)) as client:
        client.headers["X-API-Key"] = report.keys["admin"]
        before = positions(client, sku)["WH-LYON"]
        answer = client.post("/api/v1/wms/events", json=shipped(fo_id), headers=wms).json()
        assert answer["status"] == "shipped"
        units = value(engine, f"SELECT units FROM shipments WHERE id = {answer['shipment_id']}")
        moved = value(engine, f"SELECT sum(quantity) FROM shipment_lines WHERE shipment_id = {answer['shipment_id']} "
                              f"AND sku = '{sku}'")  # fmt: skip
        assert units >= moved > 0
        assert positions(client, sku)["WH-LYON"] == (before[0] - moved, before[1] - moved, before[2])
        other = value(engine, "SELECT min(id) FROM fulfilment_orders WHERE node_id <> 'WH-LYON' AND status = 'released'")
        assert client.post("/api/v1/wms/events", json=shipped(other), headers=wms).status_code == 403
