"""channel sources: raw payloads, channel integrations, documents owed to channels

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 07:00:00

- `inbound_payloads`: every payload a channel sent that was accepted, byte for byte, deduplicated by
  (channel, source, dedupe key) when the channel gives one (a webhook id, an interchange control number).
- `orders.source`, `source_payload_id`, `source_ref`: where each order came from. Orders captured before
  this migration came through the API and keep no payload.
- `order_lines.external_line_id`: the channel's own line reference, which acknowledgements quote back.
- `channel_integrations`: per channel, its adapter's settings and secrets, and how documents reach it.
- `channel_documents`: documents owed to a channel (EDI 855 and 856, marketplace acknowledgements).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

SOURCES = "source IN ('api','shopify','marketplace','edi','bulk','document')"


def upgrade() -> None:
    op.create_table(
        "inbound_payloads",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=True),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("received_by", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(SOURCES, name=op.f("ck_inbound_payloads_source")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_inbound_payloads_channel_id_channels")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_inbound_payloads_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_payloads")),
        sa.UniqueConstraint("channel_id", "source", "dedupe_key", name="uq_inbound_payloads_dedupe"),
    )
    op.create_index("ix_inbound_payloads_channel_received", "inbound_payloads", ["channel_id", "received_at"])
    op.create_index("ix_inbound_payloads_order_id", "inbound_payloads", ["order_id"],
                    postgresql_where=sa.text("order_id IS NOT NULL"))  # fmt: skip

    op.add_column("orders", sa.Column("source", sa.String(length=20), server_default="api", nullable=False))
    op.add_column("orders", sa.Column("source_payload_id", sa.BigInteger(), nullable=True))
    op.add_column("orders", sa.Column("source_ref", sa.String(length=100), nullable=True))
    op.create_check_constraint(op.f("ck_orders_source"), "orders", SOURCES)
    op.create_foreign_key(op.f("fk_orders_source_payload_id_inbound_payloads"), "orders", "inbound_payloads",
                          ["source_payload_id"], ["id"])  # fmt: skip
    op.create_index("ix_orders_source_payload_id", "orders", ["source_payload_id"],
                    postgresql_where=sa.text("source_payload_id IS NOT NULL"))  # fmt: skip
    op.add_column("order_lines", sa.Column("external_line_id", sa.String(length=100), nullable=True))

    op.create_table(
        "channel_integrations",
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("adapter", sa.String(length=20), nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"),
                  nullable=False),
        sa.Column("secret", sa.Text(), nullable=True),
        sa.Column("api_token", sa.Text(), nullable=True),
        sa.Column("transport", sa.String(length=10), server_default="pull", nullable=False),
        sa.Column("endpoint_url", sa.Text(), nullable=True),
        sa.Column("drop_dir", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("adapter IN ('shopify','marketplace','edi')", name=op.f("ck_channel_integrations_adapter")),
        sa.CheckConstraint("transport IN ('http','file','pull')", name=op.f("ck_channel_integrations_transport")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"],
                                name=op.f("fk_channel_integrations_channel_id_channels")),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_channel_integrations")),
    )

    op.create_table(
        "channel_documents",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("subject", sa.String(length=100), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_channel_documents_channel_id_channels")),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_channel_documents_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_documents")),
        sa.UniqueConstraint("channel_id", "kind", "subject", name="uq_channel_documents_subject"),
    )
    op.create_index("ix_channel_documents_due", "channel_documents", ["next_attempt_at"],
                    postgresql_where=sa.text("next_attempt_at IS NOT NULL"))  # fmt: skip
    op.create_index("ix_channel_documents_order_id", "channel_documents", ["order_id"],
                    postgresql_where=sa.text("order_id IS NOT NULL"))  # fmt: skip
    op.create_index("ix_channel_documents_pending", "channel_documents", ["channel_id", "id"],
                    postgresql_where=sa.text("acknowledged_at IS NULL"))  # fmt: skip


def downgrade() -> None:
    op.drop_table("channel_documents")
    op.drop_table("channel_integrations")
    op.drop_column("order_lines", "external_line_id")
    op.drop_index("ix_orders_source_payload_id", table_name="orders")
    op.drop_constraint(op.f("fk_orders_source_payload_id_inbound_payloads"), "orders", type_="foreignkey")
    op.drop_constraint(op.f("ck_orders_source"), "orders", type_="check")
    op.drop_column("orders", "source_ref")
    op.drop_column("orders", "source_payload_id")
    op.drop_column("orders", "source")
    op.drop_table("inbound_payloads")
