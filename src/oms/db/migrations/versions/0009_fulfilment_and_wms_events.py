"""fulfilment orders, WMS integration and inbound WMS events

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 05:00:00

- `node_integrations`: how each node's WMS receives releases (http, file drop, or manual: none row = manual).
- `fulfilment_orders` and their lines: what a node was asked to ship for an order, with its ship-by and
  deliver-by dates, the state of sending it to the WMS (attempts, next attempt, last error) and the
  milestones the WMS reported. `allocations.fulfilment_order_id` marks the reservations it took over.
- `wms_events`: every WMS event applied, unique per node and event id, with the answer it got, so a retry
  gets the same answer and changes nothing.
- `shipments` gain their fulfilment order, the WMS's carrier service and parcels; `shipment_lines` say
  which order lines and units each carries; `order_lines` keep their shipped and delivered units.
- `stock_discrepancies`: units a node was found not to have (a short pick), against what it counted.
- `api_keys` gain the `wms` role, bound to one node.
- The capacity trigger of 0007 no longer gives a day's capacity back when the allocations it counted are
  consumed by a shipment: the node did ship for the order that day.
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SLOTS = 8  # as in 0007

# 0007's function, with one more condition: rows deleted because a shipment of their fulfilment order
# consumed them keep the capacity they took.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION oms_count_node_shipments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE sign int := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO node_capacity_usage (node_id, day, slot, shipments)
  SELECT p.node_id, p.day, p.slot, sign * count(*)
  FROM (SELECT m.order_id, m.node_id, (min(m.created_at) AT TIME ZONE n.timezone)::date AS day,
               (m.order_id % {SLOTS})::smallint AS slot,
               bool_or(TG_OP = 'DELETE' AND EXISTS (
                 SELECT 1 FROM shipments s WHERE s.fulfilment_order_id = m.fulfilment_order_id)) AS shipped
        FROM moved m JOIN nodes n ON n.id = m.node_id
        GROUP BY m.order_id, m.node_id, n.timezone) p
  WHERE NOT p.shipped
    AND NOT EXISTS (SELECT 1 FROM allocations a
                    WHERE a.order_id = p.order_id AND a.node_id = p.node_id
                      AND a.id NOT IN (SELECT id FROM moved))
  GROUP BY p.node_id, p.day, p.slot
  ORDER BY p.node_id, p.day, p.slot
  ON CONFLICT (node_id, day, slot)
    DO UPDATE SET shipments = node_capacity_usage.shipments + excluded.shipments;
  RETURN NULL;
END $$;
"""
ROLES_BEFORE = "role IN ('admin','ops','backoffice','manager','channel','viewer')"
ROLES = "role IN ('admin','ops','backoffice','manager','channel','viewer','wms')"
FULFILMENT_STATUSES = (
    "'released','acknowledged','accepted','picked','packed','partially_shipped','shipped','rejected','cancelled'"
)


def _created_at() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=True)


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    op.create_table(
        "node_integrations",
        sa.Column("node_id", sa.String(length=40), nullable=False),
        sa.Column("transport", sa.String(length=10), nullable=False),
        sa.Column("endpoint_url", sa.String(length=2000), nullable=True),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("drop_dir", sa.String(length=1000), nullable=True),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("transport IN ('http','file','manual')", name=op.f("ck_node_integrations_transport")),
        sa.CheckConstraint("transport <> 'http' OR (endpoint_url IS NOT NULL AND secret IS NOT NULL)",
                           name=op.f("ck_node_integrations_http_target")),
        sa.CheckConstraint("transport <> 'file' OR drop_dir IS NOT NULL", name=op.f("ck_node_integrations_file_target")),
        _fk("node_integrations", "node_id", "nodes"),
        sa.PrimaryKeyConstraint("node_id", name=op.f("pk_node_integrations")),
    )
    op.create_table(
        "fulfilment_orders",
        _id(),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("node_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("ship_by", sa.Date(), nullable=True),
        sa.Column("deliver_by", sa.Date(), nullable=True),
        sa.Column("rerouted_from_id", sa.BigInteger(), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        _at("next_attempt_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
        _at("sent_at"),
        sa.Column("wms_reference", sa.String(length=100), nullable=True),
        _at("acknowledged_at"),
        _at("accepted_at"),
        _at("picked_at"),
        _at("packed_at"),
        _at("shipped_at"),
        _at("closed_at"),
        sa.Column("reason", sa.Text(), nullable=True),
        _created_at(),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(f"status IN ({FULFILMENT_STATUSES})", name=op.f("ck_fulfilment_orders_status")),
        _fk("fulfilment_orders", "order_id", "orders"),
        _fk("fulfilment_orders", "node_id", "nodes"),
        _fk("fulfilment_orders", "rerouted_from_id", "fulfilment_orders"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfilment_orders")),
    )
    op.create_index("ix_fulfilment_orders_order_id", "fulfilment_orders", ["order_id"])
    op.create_index("ix_fulfilment_orders_node_status", "fulfilment_orders", ["node_id", "status"])
    # The sending job's only query: cheap when nothing is due.
    op.create_index("ix_fulfilment_orders_due", "fulfilment_orders", ["next_attempt_at"],
                    postgresql_where=sa.text("next_attempt_at IS NOT NULL"))
    op.create_table(
        "fulfilment_order_lines",
        _id(),
        sa.Column("fulfilment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("shipped_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("short_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rejected_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(
            "quantity > 0 AND shipped_quantity >= 0 AND short_quantity >= 0 AND rejected_quantity >= 0"
            " AND shipped_quantity + short_quantity + rejected_quantity <= quantity",
            name=op.f("ck_fulfilment_order_lines_quantities"),
        ),
        _fk("fulfilment_order_lines", "fulfilment_order_id", "fulfilment_orders"),
        _fk("fulfilment_order_lines", "order_line_id", "order_lines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fulfilment_order_lines")),
        sa.UniqueConstraint("fulfilment_order_id", "order_line_id", name="uq_fulfilment_order_lines_order_line"),
    )
    op.add_column("allocations", sa.Column("fulfilment_order_id", sa.BigInteger(), nullable=True))
    op.create_foreign_key(op.f("fk_allocations_fulfilment_order_id_fulfilment_orders"), "allocations",
                          "fulfilment_orders", ["fulfilment_order_id"], ["id"])
    op.create_index("ix_allocations_fulfilment_order_id", "allocations", ["fulfilment_order_id"],
                    postgresql_where=sa.text("fulfilment_order_id IS NOT NULL"))

    op.add_column("shipments", sa.Column("fulfilment_order_id", sa.BigInteger(), nullable=True))
    op.add_column("shipments", sa.Column("carrier_service", sa.String(length=40), nullable=True))
    op.add_column("shipments", sa.Column("parcels", postgresql.JSONB(astext_type=sa.Text()),
                                         server_default=sa.text("'[]'::jsonb"), nullable=False))
    op.create_foreign_key(op.f("fk_shipments_fulfilment_order_id_fulfilment_orders"), "shipments",
                          "fulfilment_orders", ["fulfilment_order_id"], ["id"])
    op.create_index("ix_shipments_fulfilment_order_id", "shipments", ["fulfilment_order_id"])
    op.create_table(
        "shipment_lines",
        _id(),
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("fulfilment_order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_shipment_lines_quantity_positive")),
        _fk("shipment_lines", "shipment_id", "shipments"),
        _fk("shipment_lines", "order_line_id", "order_lines"),
        _fk("shipment_lines", "fulfilment_order_line_id", "fulfilment_order_lines"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_lines")),
        sa.UniqueConstraint("shipment_id", "order_line_id", name="uq_shipment_lines_shipment_order_line"),
    )
    op.create_index("ix_shipment_lines_order_line_id", "shipment_lines", ["order_line_id"])
    op.add_column("order_lines", sa.Column("shipped_quantity", sa.Integer(), server_default="0", nullable=False))
    op.add_column("order_lines", sa.Column("delivered_quantity", sa.Integer(), server_default="0", nullable=False))
    op.create_check_constraint(op.f("ck_order_lines_shipped_within_quantity"), "order_lines",
                               "delivered_quantity >= 0 AND delivered_quantity <= shipped_quantity"
                               " AND shipped_quantity <= quantity")

    op.create_table(
        "wms_events",
        _id(),
        sa.Column("node_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("fulfilment_order_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        _created_at(),
        _fk("wms_events", "node_id", "nodes"),
        _fk("wms_events", "fulfilment_order_id", "fulfilment_orders"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wms_events")),
        sa.UniqueConstraint("node_id", "event_id", name="uq_wms_events_node_event"),
    )
    op.create_index("ix_wms_events_fulfilment_order_id", "wms_events", ["fulfilment_order_id", "occurred_at"])
    op.create_table(
        "stock_discrepancies",
        _id(),
        sa.Column("node_id", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("short_quantity", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("wms_event_id", sa.BigInteger(), nullable=True),
        sa.Column("fulfilment_order_id", sa.BigInteger(), nullable=True),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        _created_at(),
        _fk("stock_discrepancies", "node_id", "nodes"),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_stock_discrepancies_sku_products")),
        _fk("stock_discrepancies", "wms_event_id", "wms_events"),
        _fk("stock_discrepancies", "fulfilment_order_id", "fulfilment_orders"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_discrepancies")),
    )
    op.create_index("ix_stock_discrepancies_node", "stock_discrepancies", ["node_id", "created_at"])

    op.add_column("api_keys", sa.Column("node_id", sa.String(length=40), nullable=True))
    op.create_foreign_key(op.f("fk_api_keys_node_id_nodes"), "api_keys", "nodes", ["node_id"], ["id"])
    op.drop_constraint(op.f("ck_api_keys_role"), "api_keys", type_="check")
    op.create_check_constraint(op.f("ck_api_keys_role"), "api_keys", ROLES)
    op.create_check_constraint(op.f("ck_api_keys_wms_node"), "api_keys", "(role = 'wms') = (node_id IS NOT NULL)")
    op.execute(FUNCTION)


def downgrade() -> None:
    op.execute(_function_of_0007())
    op.drop_constraint(op.f("ck_api_keys_wms_node"), "api_keys", type_="check")
    op.execute("DELETE FROM api_keys WHERE role = 'wms'")
    op.drop_constraint(op.f("ck_api_keys_role"), "api_keys", type_="check")
    op.create_check_constraint(op.f("ck_api_keys_role"), "api_keys", ROLES_BEFORE)
    op.drop_constraint(op.f("fk_api_keys_node_id_nodes"), "api_keys", type_="foreignkey")
    op.drop_column("api_keys", "node_id")
    op.drop_table("stock_discrepancies")
    op.drop_table("wms_events")
    op.drop_constraint(op.f("ck_order_lines_shipped_within_quantity"), "order_lines", type_="check")
    op.drop_column("order_lines", "delivered_quantity")
    op.drop_column("order_lines", "shipped_quantity")
    op.drop_table("shipment_lines")
    op.drop_index("ix_shipments_fulfilment_order_id", table_name="shipments")
    op.drop_constraint(op.f("fk_shipments_fulfilment_order_id_fulfilment_orders"), "shipments", type_="foreignkey")
    for column in ("parcels", "carrier_service", "fulfilment_order_id"):
        op.drop_column("shipments", column)
    op.drop_index("ix_allocations_fulfilment_order_id", table_name="allocations")
    op.drop_constraint(op.f("fk_allocations_fulfilment_order_id_fulfilment_orders"), "allocations", type_="foreignkey")
    op.drop_column("allocations", "fulfilment_order_id")
    op.drop_table("fulfilment_order_lines")
    op.drop_table("fulfilment_orders")
    op.drop_table("node_integrations")


def _function_of_0007() -> str:
    """The capacity function as 0007 created it (its text is that migration's, not a copy)."""
    path = next(Path(__file__).parent.glob("0007_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0007", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
