"""returns: policies, RMAs, receipts, inspections, refunds

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 05:00:00

A return policy per channel; RMAs with their lines (authorised, received, inspected and settled units),
receipts and inspections per node; quarantined stock per node and SKU; write-offs with their value;
refunds with their breakdown; a store-credit ledger per customer. Products may be flagged final sale.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

STATUSES = "'authorised','in_transit','partially_received','received','inspected','closed','cancelled','rejected'"
REASONS = (
    "'damaged','defective','wrong_item','not_as_described','too_small','too_large','changed_mind','late_delivery',"
    "'other'"
)


def _id() -> sa.Column:
    return sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False)


def _at(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False)


def _fk(column: str, table: str, referred: str) -> sa.ForeignKeyConstraint:
    """A foreign key named as the tables' naming convention names it."""
    return sa.ForeignKeyConstraint([column], [referred], name=op.f(f"fk_{table}_{column}_{referred.split('.')[0]}"))


def upgrade() -> None:
    op.add_column("products", sa.Column("final_sale", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.create_table(
        "return_policies",
        sa.Column("channel_id", sa.String(40), nullable=False),
        sa.Column("policy", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        _at("updated_at"),
        _fk("channel_id", "return_policies", "channels.id"),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_return_policies")),
    )
    _create_returns()
    _create_return_lines()
    for table, actor in (("return_receipts", "received_by"), ("return_inspections", "inspected_by")):
        _create_movements(table, actor)
    op.create_table(
        "quarantine_stock",
        sa.Column("node_id", sa.String(40), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        _at("updated_at"),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_quarantine_stock_quantity_not_negative")),
        _fk("node_id", "quarantine_stock", "nodes.id"),
        _fk("sku", "quarantine_stock", "products.sku"),
        sa.PrimaryKeyConstraint("node_id", "sku", name=op.f("pk_quarantine_stock")),
    )
    _create_write_offs()
    _create_refunds()
    _create_store_credit()


def _create_returns() -> None:
    op.create_table(
        "returns",
        _id(),
        sa.Column("rma_number", sa.String(40), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.String(40), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("resolution", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("policy", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("return_carrier", sa.String(40)),
        sa.Column("return_tracking_number", sa.String(64)),
        sa.Column("exchange_order_id", sa.BigInteger()),
        sa.Column("exchange_lines", postgresql.JSONB(astext_type=sa.Text())),
        sa.Column("status_reason", sa.Text()),
        sa.Column("created_by", sa.String(200), nullable=False),
        _at("created_at"),
        _at("updated_at"),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_returns_status")),
        sa.CheckConstraint("resolution IN ('refund','store_credit','exchange')", name=op.f("ck_returns_resolution")),
        _fk("order_id", "returns", "orders.id"),
        _fk("channel_id", "returns", "channels.id"),
        _fk("customer_id", "returns", "customers.id"),
        _fk("exchange_order_id", "returns", "orders.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
        sa.UniqueConstraint("rma_number", name=op.f("uq_returns_rma_number")),
    )
    op.create_index("ix_returns_order_id", "returns", ["order_id"])
    op.create_index("ix_returns_exchange_order_id", "returns", ["exchange_order_id"],
                    postgresql_where=sa.text("exchange_order_id IS NOT NULL"))  # fmt: skip
    op.create_index("ix_returns_status", "returns", ["status", "id"])
    op.create_index("ix_returns_customer_id", "returns", ["customer_id"])


def _create_return_lines() -> None:
    op.create_table(
        "return_lines",
        _id(),
        sa.Column("return_id", sa.BigInteger(), nullable=False),
        sa.Column("order_line_id", sa.BigInteger(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", sa.Numeric(12, 2), nullable=False),
        sa.Column("reason_code", sa.String(24), nullable=False),
        sa.Column("comment", sa.Text()),
        sa.Column("received_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("inspected_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.Column("settled_quantity", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(f"reason_code IN ({REASONS})", name=op.f("ck_return_lines_reason_code")),
        sa.CheckConstraint(
            "quantity > 0 AND inspected_quantity >= 0 AND inspected_quantity <= received_quantity"
            " AND received_quantity <= quantity AND settled_quantity >= 0 AND settled_quantity <= received_quantity",
            name=op.f("ck_return_lines_quantities"),
        ),
        _fk("return_id", "return_lines", "returns.id"),
        _fk("order_line_id", "return_lines", "order_lines.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
        sa.UniqueConstraint("return_id", "line_no", name="uq_return_lines_return_line_no"),
    )
    op.create_index("ix_return_lines_order_line_id", "return_lines", ["order_line_id"])


def _create_movements(table: str, actor: str) -> None:
    """Receipts and inspections: units of a return line at a node."""
    inspection = table == "return_inspections"
    extra = [
        sa.Column("condition", sa.String(16), nullable=False),
        sa.Column("disposition", sa.String(16), nullable=False),
        sa.Column("refundable", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text()),
    ] if inspection else []  # fmt: skip
    checks = [
        sa.CheckConstraint("condition IN ('new','opened','damaged','defective')", name=op.f(f"ck_{table}_condition")),
        sa.CheckConstraint("disposition IN ('restock','quarantine','write_off')", name=op.f(f"ck_{table}_disposition")),
    ] if inspection else []  # fmt: skip
    op.create_table(
        table,
        _id(),
        sa.Column("return_id", sa.BigInteger(), nullable=False),
        sa.Column("return_line_id", sa.BigInteger(), nullable=False),
        sa.Column("node_id", sa.String(40), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        *extra,
        sa.Column(actor, sa.String(200), nullable=False),
        _at("created_at"),
        sa.CheckConstraint("quantity > 0", name=op.f(f"ck_{table}_quantity_positive")),
        *checks,
        _fk("return_id", table, "returns.id"),
        _fk("return_line_id", table, "return_lines.id"),
        _fk("node_id", table, "nodes.id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(f"ix_{table}_return_id", table, ["return_id"])


def _create_write_offs() -> None:
    op.create_table(
        "stock_write_offs",
        _id(),
        sa.Column("node_id", sa.String(40), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_value", sa.Numeric(12, 2), nullable=False),
        sa.Column("value", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("return_id", sa.BigInteger()),
        sa.Column("reason", sa.Text()),
        sa.Column("created_by", sa.String(200), nullable=False),
        _at("created_at"),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_stock_write_offs_quantity_positive")),
        sa.CheckConstraint("source IN ('return_inspection','quarantine')", name=op.f("ck_stock_write_offs_source")),
        _fk("node_id", "stock_write_offs", "nodes.id"),
        _fk("sku", "stock_write_offs", "products.sku"),
        _fk("return_id", "stock_write_offs", "returns.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_write_offs")),
    )
    op.create_index("ix_stock_write_offs_node_sku", "stock_write_offs", ["node_id", "sku"])


def _create_refunds() -> None:
    op.create_table(
        "refunds",
        _id(),
        sa.Column("return_id", sa.BigInteger(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("method", sa.String(20), nullable=False),
        sa.Column("status", sa.String(12), server_default="issued", nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("shipping", sa.Numeric(12, 2), server_default="0", nullable=False),
        sa.Column("breakdown", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        _at("created_at"),
        sa.CheckConstraint("method IN ('original_payment','store_credit')", name=op.f("ck_refunds_method")),
        sa.CheckConstraint("status IN ('issued')", name=op.f("ck_refunds_status")),
        sa.CheckConstraint("amount >= 0 AND shipping >= 0", name=op.f("ck_refunds_amounts_not_negative")),
        _fk("return_id", "refunds", "returns.id"),
        _fk("order_id", "refunds", "orders.id"),
        _fk("customer_id", "refunds", "customers.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
    )
    op.create_index("ix_refunds_order_id", "refunds", ["order_id"])
    op.create_index("ix_refunds_return_id", "refunds", ["return_id"])


def _create_store_credit() -> None:
    op.create_table(
        "store_credit_entries",
        _id(),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("balance_after", sa.Numeric(14, 2), nullable=False),
        sa.Column("refund_id", sa.BigInteger()),
        sa.Column("note", sa.Text()),
        sa.Column("created_by", sa.String(200), nullable=False),
        _at("created_at"),
        sa.CheckConstraint("amount <> 0 AND balance_after >= 0", name=op.f("ck_store_credit_entries_amounts")),
        _fk("customer_id", "store_credit_entries", "customers.id"),
        _fk("refund_id", "store_credit_entries", "refunds.id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_credit_entries")),
    )
    op.create_index("ix_store_credit_entries_customer", "store_credit_entries", ["customer_id", "currency", "id"])


def downgrade() -> None:
    for table in ("store_credit_entries", "refunds", "stock_write_offs", "quarantine_stock", "return_inspections",
                  "return_receipts", "return_lines", "returns", "return_policies"):  # fmt: skip
        op.drop_table(table)
    op.drop_column("products", "final_sale")
