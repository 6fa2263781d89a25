"""web console: user accounts, and the indexes the orders list searches with

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-23 07:40:00

- `users`: people who sign in to the web console with a password (an scrypt hash), each with one role,
  a channel for a channel-role user, and a disabled flag (a disabled user's session ends at once).
- The orders list filters by node (orders with an allocation or a fulfilment order there), by lateness
  (open orders whose promised delivery date has passed) and finds an order by the channel's reference
  whatever the channel: indexes for each.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

USER_ROLES = "role IN ('admin','ops','backoffice','manager','channel','viewer')"
NOT_DONE = "status NOT IN ('delivered','cancelled')"


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=True),
        sa.Column("disabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(USER_ROLES, name=op.f("ck_users_role")),
        sa.CheckConstraint("(role = 'channel') = (channel_id IS NOT NULL)", name=op.f("ck_users_channel")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_users_channel_id_channels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_index("ix_allocations_node_order", "allocations", ["node_id", "order_id"])
    op.create_index("ix_fulfilment_orders_node_order", "fulfilment_orders", ["node_id", "order_id"])
    op.create_index("ix_orders_external_id", "orders", ["external_id"])
    op.create_index("ix_orders_open_promised", "orders", ["promised_delivery_date"],
                    postgresql_where=sa.text(NOT_DONE))  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_orders_open_promised", table_name="orders")
    op.drop_index("ix_orders_external_id", table_name="orders")
    op.drop_index("ix_fulfilment_orders_node_order", table_name="fulfilment_orders")
    op.drop_index("ix_allocations_node_order", table_name="allocations")
    op.drop_table("users")
