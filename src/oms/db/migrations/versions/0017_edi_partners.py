"""edi partners: our control numbers per EDI channel, and the EDI orders whose shipments owe ship notices

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23 07:30:00

- `edi_control_numbers`: per EDI channel, the last interchange (ISA13), group (GS06) and transaction set
  (ST02) control numbers of the documents we sent it (855 acknowledgements, 856 ship notices).
- `edi_open_orders`: the orders captured from 850s that may still ship; the ship-notice job looks for
  shipments without an 856 among theirs only, so it costs nothing once they have all shipped.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "edi_control_numbers",
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("interchange", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("functional_group", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("transaction_set", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"], ["channels.id"], name=op.f("fk_edi_control_numbers_channel_id_channels")
        ),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_edi_control_numbers")),
    )
    op.create_table(
        "edi_open_orders",
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_edi_open_orders_order_id_orders")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_edi_open_orders_channel_id_channels")),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_edi_open_orders")),
    )


def downgrade() -> None:
    op.drop_table("edi_open_orders")
    op.drop_table("edi_control_numbers")
