"""shopify channel: inventory items per SKU and the stock levels last pushed to Shopify

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-23 07:30:00

- `shopify_inventory_items`: per Shopify channel, the inventory item (and variant) of each SKU.
- `shopify_inventory_levels`: the available quantity last sent per (channel, location, inventory item),
  so that a push sends only changes; a refused value keeps Shopify's answer.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shopify_inventory_items",
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("inventory_item_id", sa.BigInteger(), nullable=False),
        sa.Column("variant_id", sa.BigInteger(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"],
                                name=op.f("fk_shopify_inventory_items_channel_id_channels")),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_shopify_inventory_items_sku_products")),
        sa.PrimaryKeyConstraint("channel_id", "sku", name=op.f("pk_shopify_inventory_items")),
        sa.UniqueConstraint("channel_id", "inventory_item_id", name="uq_shopify_inventory_items_item"),
        sa.UniqueConstraint("channel_id", "variant_id", name="uq_shopify_inventory_items_variant"),
    )
    op.create_table(
        "shopify_inventory_levels",
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("location_id", sa.BigInteger(), nullable=False),
        sa.Column("inventory_item_id", sa.BigInteger(), nullable=False),
        sa.Column("available", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"],
                                name=op.f("fk_shopify_inventory_levels_channel_id_channels")),
        sa.PrimaryKeyConstraint("channel_id", "location_id", "inventory_item_id",
                                name=op.f("pk_shopify_inventory_levels")),
    )


def downgrade() -> None:
    op.drop_table("shopify_inventory_levels")
    op.drop_table("shopify_inventory_items")
