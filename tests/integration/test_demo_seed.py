"""The demo retailer as seeded into an empty database: network, catalogue, stock, and order history
whose lead times vary the way real ones do. Seeded once for this module, with 200 days of history (the
default is a year, twice as long to seed) up to a fixed clock, so the figures below do not depend on the
day the tests run; the window holds the summer sales, back to school, Black Friday and early December."""

import json
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from oms.api.app import create_app
from oms.channels.shopify.signature import sign
from oms.domain.gtin import is_valid_gtin
from oms.services.actor import SYSTEM, Role
from oms.services.api_keys import ApiKeyAuthenticator
from oms.services.demo import DemoDataExists, seed_demo, seed_demo_if_empty
from oms.services.demo.integrations import SECRETS_FILE
from oms.services.demo.seasons import black_friday
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, forget_cached_reads

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)  # a Friday afternoon
DAYS = 200
LATE = "avg(((s.delivered_at AT TIME ZONE 'Europe/Paris')::date > s.promised_delivery_date)::int)::float"


def mean_hours(start: str, end: str) -> str:
    return f"avg(extract(epoch FROM {end} - {start}) / 3600)::float"


@pytest.fixture(scope="module")
def demo(_session_engine, tmp_path_factory):
    engine, truncate = _session_engine  # as the `engine` fixture does, but once for the module
    with engine.begin() as conn:
        conn.execute(text(truncate))
    forget_cached_reads()
    started = time.perf_counter()
    report = seed_demo(engine, tmp_path_factory.mktemp("data"), days=DAYS, now=NOW)
    print(f"\nseeded {report.days} days in {time.perf_counter() - started:.1f} s: {report.counts}")
    return engine, report


def rows(demo, sql: str, **params) -> list:
    with demo[0].connect() as conn:
        return conn.execute(text(sql), params).all()


def value(demo, sql: str, **params):
    return rows(demo, sql, **params)[0][0]


def test_the_network_has_warehouses_and_stores_in_several_countries(demo):
    by_type = dict(rows(demo, "SELECT type, count(*) FROM nodes GROUP BY type"))
    assert by_type["warehouse"] + by_type["3pl"] >= 3 and by_type["store"] >= 5
    assert value(demo, "SELECT count(DISTINCT country) FROM nodes WHERE type = 'store'") >= 2
    assert value(demo, "SELECT bool_and(fulfilment_types @> '{ship_from_store,pickup}') FROM nodes "
                       "WHERE type = 'store'")
    assert value(demo, "SELECT max(daily_capacity) FROM nodes WHERE type = 'store'") < value(
        demo, "SELECT min(daily_capacity) FROM nodes WHERE type <> 'store'")
    assert {r[0] for r in rows(demo, "SELECT id FROM channels")} >= {"web", "marketplace", "store", "b2b"}


def test_the_catalogue_has_300_skus_with_valid_ean13_barcodes(demo):
    products = rows(demo, "SELECT sku, barcode, unit_price, currency, weight_kg FROM products")
    assert len(products) >= 300
    assert all(len(p.barcode) == 13 and is_valid_gtin(p.barcode) for p in products)
    assert all(p.unit_price > 0 and p.currency == "EUR" and p.weight_kg > 0 for p in products)
    assert value(demo, "SELECT count(*) FROM products WHERE sku !~ '^[A-Z]{3}-[A-Z]{3}-[0-9A-Z]+$'") == 0


def test_warehouses_hold_deep_stock_and_stores_a_few_units(demo):
    depth = dict(rows(demo, "SELECT n.type = 'store', avg(i.on_hand)::float FROM inventory i "
                            "JOIN nodes n ON n.id = i.node_id GROUP BY 1"))
    assert depth[False] > 5 * depth[True]
    assert value(demo, "SELECT count(*) FROM nodes n WHERE NOT EXISTS "
                       "(SELECT FROM inventory i WHERE i.node_id = n.id)") == 0
    assert value(demo, "SELECT count(*) FROM inventory WHERE on_hand = 0") > 0
    assert value(demo, "SELECT count(*) FROM inventory WHERE safety_stock > 0") > 0


def test_only_open_orders_reserve_stock_and_never_more_than_is_sellable(demo):
    mismatched = value(demo, """
        SELECT count(*) FROM inventory i
        LEFT JOIN (SELECT node_id, sku, sum(quantity) q FROM allocations GROUP BY 1, 2) a
          ON a.node_id = i.node_id AND a.sku = i.sku
        WHERE i.reserved <> coalesce(a.q, 0)""")
    assert mismatched == 0
    assert value(demo, "SELECT count(*) FROM inventory WHERE reserved > on_hand - safety_stock") == 0
    holders = {r[0] for r in rows(demo, "SELECT DISTINCT o.status FROM allocations a "
                                        "JOIN orders o ON o.id = a.order_id")}
    assert holders == {"released", "on_hold"}


def test_orders_still_in_payment_review_are_on_hold_with_stock_reserved_and_no_shipment(demo):
    held = rows(demo, """
        SELECT o.hold_type, count(s.id) AS shipments, bool_and(l.status = 'allocated') AS allocated
        FROM orders o JOIN order_lines l ON l.order_id = o.id LEFT JOIN shipments s ON s.order_id = o.id
        WHERE o.status = 'on_hold' GROUP BY o.id""")
    assert held and all(h == ("payment_review", 0, True) for h in held)


def test_inbound_supply_is_due_in_the_coming_weeks_and_the_marketplace_is_held_back(demo):
    supply = rows(demo, "SELECT s.type, n.type AS node_type, s.expected_date, s.status FROM inbound_supply s "
                        "JOIN nodes n ON n.id = s.node_id")
    assert {s.type for s in supply} == {"purchase_order", "transfer", "asn"}
    assert all(NOW.date() < s.expected_date <= NOW.date() + timedelta(weeks=7) for s in supply)
    assert all((s.node_type == "store") == (s.type == "transfer") and s.status == "open" for s in supply)
    assert rows(demo, "SELECT channel_id, sku, node_id, share FROM channel_protections")[0][:3] == (
        "marketplace", None, None)


def test_history_covers_six_months_up_to_now_with_weekly_rhythm_and_peaks(demo):
    first, last = rows(demo, "SELECT min(created_at), max(created_at) FROM orders")[0]
    assert NOW - first >= timedelta(days=180) and NOW - last < timedelta(hours=2)
    per_day = dict(rows(demo, "SELECT (created_at AT TIME ZONE 'Europe/Paris')::date, count(*) FROM orders "
                              "GROUP BY 1"))
    assert len(per_day) >= DAYS  # no silent day
    ordinary = sorted(per_day.values())[len(per_day) // 2]
    assert per_day[black_friday(2026)] > 2 * ordinary
    store = dict(rows(demo, "SELECT extract(isodow FROM created_at AT TIME ZONE 'Europe/Paris'), count(*) "
                            "FROM orders WHERE channel_id = 'store' GROUP BY 1"))
    assert store[6] > 3 * store.get(7, 0)  # Saturdays in the shops, hardly any Sunday


def test_most_orders_are_delivered_a_few_cancelled_and_every_timestamp_follows_the_last(demo):
    share = dict(rows(demo, "SELECT status, count(*)::float / sum(count(*)) OVER () FROM orders GROUP BY 1"))
    assert share["delivered"] > 0.9 and 0.01 < share["cancelled"] < 0.05
    assert value(demo, """
        SELECT count(*) FROM orders o JOIN shipments s ON s.order_id = o.id
        WHERE o.status = 'delivered' AND NOT (s.delivered_at >= s.shipped_at AND s.shipped_at >= s.released_at
                                              AND s.released_at >= o.created_at)""") == 0
    assert value(demo, "SELECT count(*) FROM orders o WHERE status = 'delivered' AND NOT EXISTS "
                       "(SELECT FROM shipments s WHERE s.order_id = o.id)") == 0
    assert value(demo, "SELECT count(*) FROM shipments WHERE delivered_at > :now OR shipped_at > :now",
                 now=NOW) == 0
    assert value(demo, "SELECT count(*) FROM shipments s JOIN orders o ON o.id = s.order_id "
                       "WHERE o.status = 'cancelled'") == 0


def test_carriers_take_different_times_and_the_express_carrier_is_fastest(demo):
    hours = dict(rows(demo, f"SELECT carrier, {mean_hours('shipped_at', 'delivered_at')} FROM shipments "
                            "WHERE delivered_at IS NOT NULL AND carrier <> 'pickup' GROUP BY 1"))
    assert len(hours) >= 5 and max(hours.values()) > 1.8 * min(hours.values())
    assert hours["Chronopost"] == min(hours.values())


def test_a_friday_order_after_the_cut_off_waits_for_monday(demo):
    handover = dict(rows(demo, f"""
        SELECT (r.local::time >= n.cutoff_time), {mean_hours('s.released_at', 's.shipped_at')}
        FROM shipments s JOIN nodes n ON n.id = s.node_id,
             LATERAL (SELECT s.released_at AT TIME ZONE n.timezone AS local) r
        WHERE n.id = 'WH-LYON' AND extract(isodow FROM r.local) = 5 AND s.shipped_at IS NOT NULL
        GROUP BY 1"""))
    assert handover[False] < 12 and handover[True] > 60
    lead = dict(rows(demo, f"""
        SELECT extract(isodow FROM s.released_at AT TIME ZONE 'Europe/Paris') IN (5, 6),
               {mean_hours('s.released_at', 's.delivered_at')}
        FROM shipments s WHERE s.delivered_at IS NOT NULL GROUP BY 1"""))
    assert lead[True] > lead[False] + 12  # the weekend slows everything released Friday or Saturday


def test_a_realistic_share_is_late_and_more_so_at_peaks_under_load_and_from_stores(demo):
    late = value(demo, f"SELECT {LATE} FROM shipments s WHERE s.delivered_at IS NOT NULL")
    assert 0.05 <= late <= 0.15
    peak = dict(rows(demo, f"""
        SELECT o.created_at::date BETWEEN :bf - 4 AND :bf + 3 OR extract(month FROM o.created_at) = 12,
               {LATE}
        FROM shipments s JOIN orders o ON o.id = s.order_id WHERE s.delivered_at IS NOT NULL GROUP BY 1""",
                     bf=black_friday(2026)))
    assert peak[True] > 1.5 * peak[False]
    by_load = dict(rows(demo, f"""
        WITH load AS (SELECT node_id, (released_at AT TIME ZONE 'Europe/Paris')::date AS day, count(*) AS n
                      FROM shipments GROUP BY 1, 2)
        SELECT l.n >= nd.daily_capacity / 2, {LATE}
        FROM shipments s JOIN nodes nd ON nd.id = s.node_id
        JOIN load l ON l.node_id = s.node_id AND l.day = (s.released_at AT TIME ZONE 'Europe/Paris')::date
        WHERE s.delivered_at IS NOT NULL AND nd.type <> 'store' GROUP BY 1"""))
    assert by_load[True] > 1.5 * by_load[False]
    by_node = dict(rows(demo, f"SELECT n.type = 'store', {mean_hours('s.released_at', 's.shipped_at')} "
                              "FROM shipments s JOIN nodes n ON n.id = s.node_id "
                              "WHERE s.shipped_at IS NOT NULL GROUP BY 1"))
    assert by_node[True] > by_node[False]


def test_demo_keys_authenticate_with_their_roles(demo):
    engine, report = demo
    authenticator = ApiKeyAuthenticator(engine)
    actors = {role: authenticator.authenticate(key) for role, key in report.keys.items()}
    assert {role: a.role for role, a in actors.items()} == {r.value: r for r in Role}
    assert actors["channel"].channel_id == "web"
    assert report.keys_file.read_text().count("oms_demo_") == len(Role)
    assert stat.S_IMODE(report.keys_file.stat().st_mode) == 0o600


def test_every_history_order_has_its_audit_trail_in_time_order(demo):
    [summary] = rows(demo, """
        SELECT count(DISTINCT o.id) AS orders,
               count(DISTINCT e.order_id) FILTER (WHERE e.action = 'order.created') AS created,
               count(*) FILTER (WHERE e.action = 'shipment.delivered') AS delivered_events,
               (SELECT count(*) FROM shipments WHERE delivered_at IS NOT NULL) AS delivered_parcels
        FROM orders o LEFT JOIN audit_events e ON e.order_id = o.id""")
    assert summary.created == summary.orders
    assert summary.delivered_events == summary.delivered_parcels > 0
    [order] = rows(demo, """
        SELECT order_id FROM audit_events WHERE action = 'shipment.delivered' ORDER BY id LIMIT 1""")
    trail = rows(demo, "SELECT action, created_at FROM audit_events WHERE order_id = :id ORDER BY created_at",
                 id=order.order_id)  # fmt: skip
    assert [e.action for e in trail][:4] == ["order.created", "fulfilment.released", "shipment.shipped",
                                             "shipment.delivered"]  # fmt: skip


def test_history_orders_replay_as_the_capture_commands_they_were(demo):
    """Re-sending a demo order through order capture returns it (same capture hash), not a conflict."""
    for service in ("standard", "pickup"):
        order = rows(demo, """
            SELECT o.id, o.channel_id, o.external_id, o.ship_to, o.pickup_node_id, c.name, c.email
            FROM orders o JOIN customers c ON c.id = o.customer_id
            WHERE o.service_level = :service ORDER BY o.id LIMIT 1""", service=service)[0]
        lines = rows(demo, "SELECT sku, quantity, unit_price FROM order_lines WHERE order_id = :id "
                           "ORDER BY line_no", id=order.id)
        cmd = OrderCreate(channel=order.channel_id, external_id=order.external_id, service_level=service,
                          customer={"name": order.name, "email": order.email}, ship_to=order.ship_to,
                          pickup_node_id=order.pickup_node_id, lines=[dict(line._mapping) for line in lines])
        replayed, created = capture_order(UnitOfWork(demo[0]), ADMIN, cmd)
        assert (replayed.id, created) == (order.id, False)


def test_routing_rates_are_the_demo_carriers_saved_as_version_1(demo):
    saved = rows(demo, "SELECT version, saved_by, comment, rates FROM rate_tables")
    assert [(v, by, comment) for v, by, comment, _ in saved] == [(1, SYSTEM.name, "demo carriers' rates")]
    by_lane = {}
    for card in saved[0].rates["cards"]:
        by_lane.setdefault((card["origin_country"], card["dest_country"], card["service"]), set()).add(
            card["carrier"])
    assert by_lane[("FR", "FR", "standard")] == {"Colissimo", "DPD", "GLS"}
    assert by_lane[("FR", "FR", "express")] == {"Chronopost", "UPS"}
    assert by_lane[("DE", "FR", "standard")] == {"DHL", "DPD", "GLS"}
    shipped = {r[0] for r in rows(demo, "SELECT DISTINCT carrier FROM shipments WHERE carrier <> 'pickup'")}
    assert set().union(*by_lane.values()) == shipped


def test_seeding_again_refuses_and_changes_nothing(demo, tmp_path):
    engine, report = demo
    with pytest.raises(DemoDataExists, match="already has products, nodes, customers, orders"):
        seed_demo(engine, tmp_path, days=3)
    assert seed_demo_if_empty(engine, tmp_path, days=3) is None
    assert value(demo, "SELECT count(*) FROM orders") == report.counts["orders"]
    assert not (tmp_path / "demo-keys.json").exists()
    seeded = rows(demo, "SELECT after FROM audit_events WHERE action = 'demo.seeded'")
    assert len(seeded) == 1 and seeded[0].after["rows"]["orders"] == report.counts["orders"]
    # the history's events, demo.seeded, the demo rate table's save and the delay model's training
    assert value(demo, "SELECT count(*) FROM audit_events") == report.counts["audit_events"] + 3


def test_the_demo_ends_with_a_delay_model_trained_on_its_history_and_its_open_parcels_scored(demo):
    report = demo[1]
    model = rows(demo, "SELECT version, validate_from, validate_to, train_to, rows, metrics FROM ml_models "
                       "WHERE name = 'delay'")
    assert len(model) == 1 and report.counts["ml_models"] == 1
    version, validate_from, validate_to, train_to, trained_rows, metrics = model[0]
    assert validate_from < validate_to <= train_to <= NOW - timedelta(days=7) and trained_rows > 10_000
    assert metrics["roc_auc"] > metrics["baseline"]["roc_auc"]
    open_parcels = value(demo, "SELECT count(*) FROM shipments WHERE delivered_at IS NULL AND status IN "
                               "('shipped','in_transit','out_for_delivery','exception')")
    assert value(demo, "SELECT count(*) FROM shipment_risks WHERE model_version = :v", v=version) == open_parcels
    assert report.counts["shipment_risks"] == open_parcels > 0



def test_live_promises_use_the_carriers_and_nominal_days_the_history_was_promised_with(demo):
    from oms.services.promise import PromiseRequest, promise

    request = PromiseRequest.model_validate({
        "lines": [{"sku": value(demo, "SELECT sku FROM inventory WHERE node_id = 'WH-LYON' AND on_hand > 20 "
                                      "ORDER BY sku LIMIT 1"), "quantity": 1}],
        "destination": {"postal_code": "69003", "country": "FR"}, "service_level": "standard",
        "at": "2026-12-01T08:00:00Z",  # a Tuesday morning, before every cut-off
    })
    option = promise(UnitOfWork(demo[0]), ADMIN, request).options[0]
    assert option.carrier == "Colissimo" and option.ship_from[0].node_id == "WH-LYON"
    assert (option.delivery_date - option.ship_from[0].ship_date).days == 2  # Colissimo's nominal 2 days
    main_carrier = value(demo, "SELECT carrier FROM shipments WHERE node_id = 'WH-LYON' AND service_level = "
                               "'standard' GROUP BY carrier ORDER BY count(*) DESC LIMIT 1")
    assert main_carrier == option.carrier


def test_the_demo_web_shop_takes_signed_shopify_webhooks_with_the_secret_it_was_given(demo):
    engine, report = demo
    secret = json.loads((report.keys_file.parent / SECRETS_FILE).read_text())["web"]
    assert stat.S_IMODE((report.keys_file.parent / SECRETS_FILE).stat().st_mode) == 0o600
    sku = value(demo, "SELECT i.sku FROM inventory i GROUP BY i.sku ORDER BY sum(i.on_hand - i.reserved) DESC LIMIT 1")
    order = json.loads((Path(__file__).parents[1] / "channels/shopify/fixtures/orders_create.json").read_text())
    order["id"], order["line_items"] = 990001, order["line_items"][:1]
    order["line_items"][0] |= {"sku": sku, "quantity": 1, "fulfillable_quantity": 1}
    body = json.dumps(order).encode()
    headers = {"X-Shopify-Topic": "orders/create", "X-Shopify-Webhook-Id": "demo-webhook-1",
               "X-Shopify-Shop-Domain": "demo-outdoor.myshopify.com", "Content-Type": "application/json"}
    with TestClient(create_app(engine)) as client:
        forged = client.post("/api/v1/channels/web/shopify/webhooks", content=body,
                             headers=headers | {"X-Shopify-Hmac-Sha256": sign("not-the-secret", body)})
        signed = client.post("/api/v1/channels/web/shopify/webhooks", content=body,
                             headers=headers | {"X-Shopify-Hmac-Sha256": sign(secret, body)})
    assert forged.status_code == 401 and signed.status_code == 201
    source = rows(demo, "SELECT source, source_payload_id IS NOT NULL FROM orders WHERE external_id = '990001'")
    assert source == [("shopify", True)]


def test_a_new_order_is_routed_with_one_of_the_demo_carriers(demo):
    """Last in the module: it adds an order to the history the tests above count."""
    sku = value(demo, "SELECT sku FROM inventory WHERE node_id = 'WH-LYON' AND on_hand - reserved > 20 "
                      "ORDER BY sku LIMIT 1")
    cmd = OrderCreate(channel="web", external_id="p5-demo-rates-1", service_level="standard",
                      customer={"name": "Rate Test", "email": "rate.test@example.com"},
                      ship_to={"name": "Rate Test", "line1": "3 rue Garibaldi", "city": "Lyon",
                               "postal_code": "69003", "country": "FR"},
                      lines=[{"sku": sku, "quantity": 1, "unit_price": "29.90"}])  # fmt: skip
    order, created = capture_order(UnitOfWork(demo[0]), ADMIN, cmd)
    decision = value(demo, "SELECT decision FROM routing_decisions WHERE order_id = :id ORDER BY id DESC "
                           "LIMIT 1", id=order.id)
    [shipment] = decision["plan"]["shipments"]
    assert created and shipment["carrier"] in {"Colissimo", "DPD", "GLS"}
