"""Capture's first statement is planned once per connection, not on every execution (oms.db.plans): with
the order's SKUs visible to the planner, PostgreSQL planned it anew every time, which was most of its cost."""

from itertools import cycle, islice

from sqlalchemy import text

from oms.db.engine import make_engine
from oms.services.order_capture import check_capture
from oms.services.order_models import OrderCreate
from tests.factories import add_network, order_body

CATALOGUE, WAREHOUSES = 500, 12  # as many as the demo's: enough rows for a plan's cost to depend on the SKUs
CARTS = [[(f"SKU-{n:04d}", 1) for n in range(start, start + size)] for start, size in ((1, 1), (10, 2), (20, 4))]


def _catalogue(engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("""
            INSERT INTO nodes
            SELECT (jsonb_populate_record(NULL::nodes, to_jsonb(lyon) || jsonb_build_object('id', 'WH-' || n))).*
            FROM nodes AS lyon, generate_series(1, :count) AS n WHERE lyon.id = 'WH-LYON'"""),
                     {"count": WAREHOUSES})  # fmt: skip
        conn.execute(text("""
            INSERT INTO products (sku, name, description, unit_price, currency, barcode, weight_kg)
            SELECT 'SKU-' || lpad(n::text, 4, '0'), 'Item ' || n, 'Item ' || n, 9.9, 'EUR', NULL, 0.5
            FROM generate_series(1, :count) AS n"""), {"count": CATALOGUE})  # fmt: skip
        conn.execute(text("""
            INSERT INTO inventory (node_id, sku, on_hand, reserved, safety_stock)
            SELECT nodes.id, products.sku, 20, 0, 0 FROM nodes, products"""))  # fmt: skip
        conn.execute(text("ANALYZE products; ANALYZE inventory"))


def test_capture_read_settles_on_one_plan_whatever_the_carts(engine):
    add_network(engine)
    _catalogue(engine)
    # A connection of its own: prepared statements and their plan counts live as long as a connection, and
    # the test engine's pooled ones may have run capture already.
    fresh = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
    with fresh.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        for n, lines in enumerate(islice(cycle(CARTS), 12)):
            assert check_capture(conn, OrderCreate.model_validate(order_body(f"WEB-{n}", lines))) == []
        plans = conn.execute(
            text("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE :read"),
            {"read": "%AS new_customer_id%"},
        ).one()
    fresh.dispose()
    # psycopg prepares it after 5 executions; PostgreSQL plans the first 5 prepared ones for their values,
    # then keeps the generic plan when a custom one is no cheaper, as none can be with the SKUs hidden.
    assert plans.custom_plans == 5
    assert plans.generic_plans == 2
