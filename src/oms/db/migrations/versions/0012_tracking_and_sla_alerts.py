"""carrier tracking events, SLA alerts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 05:10:00

- `tracking_events`: every carrier event stored, unique per carrier and event id, with the answer it got,
  so a retry gets the same answer and changes nothing.
- `shipments` gain the times the carrier reported (first in transit, first out for delivery, the latest
  exception, returned to sender) and `status_at`, when what set their status happened: a late event
  that happened before it never moves the status back. Indexes: by tracking number (events find their
  shipment), parcels still with the carrier (the SLA check), and by promised delivery date (the report).
- `fulfilment_orders`: indexes of those still open by ship-by date and of those not yet acknowledged by
  release time, so the SLA check costs two index probes when nothing is due.
- `alerts`: conditions someone should act on (SLA breaches and risks now, anomalies later), one open
  alert per condition (a unique dedupe key among alerts not resolved).
- `api_keys` gain the `carrier` role: posts tracking events and nothing else.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

ROLES_BEFORE = "role IN ('admin','ops','backoffice','manager','channel','viewer','wms')"
ROLES = "role IN ('admin','ops','backoffice','manager','channel','viewer','wms','carrier')"
TRACKING_STATUSES = "'in_transit','out_for_delivery','delivered','exception','returned_to_sender'"
IN_FLIGHT = "status IN ('shipped','in_transit','out_for_delivery','exception')"
SHIPMENT_TIMES = ("in_transit_at", "out_for_delivery_at", "exception_at", "returned_at", "status_at")


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(table: str, column: str, target: str, key: str = "id") -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.{key}"], name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade() -> None:
    for column in SHIPMENT_TIMES:
        op.add_column("shipments", _at(column))
    op.create_index(
        "ix_shipments_tracking_number",
        "shipments",
        ["tracking_number"],
        postgresql_where=sa.text("tracking_number IS NOT NULL"),
    )
    op.create_index(
        "ix_shipments_in_flight", "shipments", ["promised_delivery_date"], postgresql_where=sa.text(IN_FLIGHT)
    )
    op.create_index("ix_shipments_promised_delivery_date", "shipments", ["promised_delivery_date"])
    op.create_index(
        "ix_fulfilment_orders_open_ship_by",
        "fulfilment_orders",
        ["ship_by"],
        postgresql_where=sa.text("closed_at IS NULL"),
    )
    op.create_index(
        "ix_fulfilment_orders_unacknowledged",
        "fulfilment_orders",
        ["created_at"],
        postgresql_where=sa.text("closed_at IS NULL AND acknowledged_at IS NULL"),
    )
    op.create_table(
        "tracking_events",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=100), nullable=False),
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        _at("occurred_at", nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("body_hash", sa.String(length=64), nullable=False),
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(f"status IN ({TRACKING_STATUSES})", name=op.f("ck_tracking_events_status")),
        _fk("tracking_events", "shipment_id", "shipments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint("carrier", "event_id", name="uq_tracking_events_carrier_event"),
    )
    op.create_index("ix_tracking_events_shipment_id", "tracking_events", ["shipment_id", "occurred_at"])
    op.create_table(
        "alerts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=14), server_default="open", nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("fulfilment_order_id", sa.BigInteger(), nullable=True),
        sa.Column("shipment_id", sa.BigInteger(), nullable=True),
        sa.Column("node_id", sa.String(length=40), nullable=True),
        sa.Column("carrier", sa.String(length=40), nullable=True),
        sa.Column("sku", sa.String(length=64), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column(
            "details",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("raised_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        _at("acknowledged_at"),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        _at("resolved_at"),
        sa.Column("resolved_by", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("severity IN ('info','warning','critical')", name=op.f("ck_alerts_severity")),
        sa.CheckConstraint("status IN ('open','acknowledged','resolved')", name=op.f("ck_alerts_status")),
        sa.CheckConstraint(
            "(status = 'resolved') = (resolved_at IS NOT NULL)", name=op.f("ck_alerts_resolved_at")
        ),
        _fk("alerts", "order_id", "orders"),
        _fk("alerts", "fulfilment_order_id", "fulfilment_orders"),
        _fk("alerts", "shipment_id", "shipments"),
        _fk("alerts", "node_id", "nodes"),
        _fk("alerts", "sku", "products", "sku"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    # One open (or acknowledged) alert per condition; resolved ones are history.
    op.create_index(
        "uq_alerts_open_dedupe_key",
        "alerts",
        ["dedupe_key"],
        unique=True,
        postgresql_where=sa.text("status <> 'resolved'"),
    )
    op.create_index("ix_alerts_status_kind", "alerts", ["status", "kind", "id"])
    op.create_index(
        "ix_alerts_node_id", "alerts", ["node_id", "id"], postgresql_where=sa.text("node_id IS NOT NULL")
    )
    op.create_index(
        "ix_alerts_carrier", "alerts", ["carrier", "id"], postgresql_where=sa.text("carrier IS NOT NULL")
    )
    op.create_index(
        "ix_alerts_order_id", "alerts", ["order_id"], postgresql_where=sa.text("order_id IS NOT NULL")
    )
    op.create_index("ix_alerts_raised_at", "alerts", ["raised_at"])

    op.drop_constraint(op.f("ck_api_keys_role"), "api_keys", type_="check")
    op.create_check_constraint(op.f("ck_api_keys_role"), "api_keys", ROLES)


def downgrade() -> None:
    op.execute("DELETE FROM api_keys WHERE role = 'carrier'")
    op.drop_constraint(op.f("ck_api_keys_role"), "api_keys", type_="check")
    op.create_check_constraint(op.f("ck_api_keys_role"), "api_keys", ROLES_BEFORE)
    op.drop_table("alerts")
    op.drop_table("tracking_events")
    op.drop_index("ix_fulfilment_orders_unacknowledged", table_name="fulfilment_orders")
    op.drop_index("ix_fulfilment_orders_open_ship_by", table_name="fulfilment_orders")
    for index in (
        "ix_shipments_promised_delivery_date",
        "ix_shipments_in_flight",
        "ix_shipments_tracking_number",
    ):
        op.drop_index(index, table_name="shipments")
    for column in SHIPMENT_TIMES:
        op.drop_column("shipments", column)
