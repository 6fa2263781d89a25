"""order entry: drafts read from PDF purchase orders, catalogue and customer embeddings, part numbers

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-23 13:20:00

- `products.embedding`, `customers.embedding`: a vector of the product's name and description (the
  customer's name), written by the services whenever they change (oms.domain.text_embedding), searched by
  cosine distance through an HNSW index to match a document's descriptions and buyer.
- `customer_part_numbers`: a customer's own code for one of our SKUs, learned from submitted drafts or
  printed in a document beside our SKU.
- `order_drafts`: a document uploaded for order entry (its bytes are an inbound payload of source
  'document'), what was read from it, and the draft staff correct; submitting it captures the order.
"""

import sqlalchemy as sa
from alembic import op
from pgvector.sqlalchemy import Vector
from sqlalchemy.dialects import postgresql

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

DIMENSIONS = 256  # oms.db.tables.EMBEDDING_DIMENSIONS


def upgrade() -> None:
    for table in ("products", "customers"):
        op.add_column(table, sa.Column("embedding", Vector(DIMENSIONS), nullable=True))
        op.create_index(f"ix_{table}_embedding", table, ["embedding"], postgresql_using="hnsw",
                        postgresql_ops={"embedding": "vector_cosine_ops"})  # fmt: skip
    op.create_table(
        "order_drafts",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("status", sa.String(20), server_default="draft", nullable=False),
        sa.Column("channel_id", sa.String(40), nullable=False),
        sa.Column("payload_id", sa.BigInteger(), nullable=False),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("extraction", postgresql.JSONB(), nullable=False),
        sa.Column("content", postgresql.JSONB(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("submitted_by", sa.String(200), nullable=True),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status IN ('draft','submitted','discarded')", name=op.f("ck_order_drafts_status")),
        sa.CheckConstraint("(status = 'submitted') = (order_id IS NOT NULL)",
                           name=op.f("ck_order_drafts_submitted_has_order")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_order_drafts_channel_id_channels")),
        sa.ForeignKeyConstraint(["payload_id"], ["inbound_payloads.id"],
                                name=op.f("fk_order_drafts_payload_id_inbound_payloads")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_order_drafts_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_drafts")),
        sa.UniqueConstraint("payload_id", name=op.f("uq_order_drafts_payload_id")),
    )
    op.create_index("ix_order_drafts_status_created_at", "order_drafts", ["status", "created_at"])
    op.create_table(
        "customer_part_numbers",
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("part_number", sa.String(64), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("draft_id", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("source IN ('submitted','printed')", name=op.f("ck_customer_part_numbers_source")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"],
                                name=op.f("fk_customer_part_numbers_customer_id_customers")),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_customer_part_numbers_sku_products")),
        sa.ForeignKeyConstraint(["draft_id"], ["order_drafts.id"],
                                name=op.f("fk_customer_part_numbers_draft_id_order_drafts")),
        sa.PrimaryKeyConstraint("customer_id", "part_number", name=op.f("pk_customer_part_numbers")),
    )


def downgrade() -> None:
    op.drop_table("customer_part_numbers")
    op.drop_index("ix_order_drafts_status_created_at", table_name="order_drafts")
    op.drop_table("order_drafts")
    for table in ("customers", "products"):
        op.drop_index(f"ix_{table}_embedding", table_name=table)
        op.drop_column(table, "embedding")
