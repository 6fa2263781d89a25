"""alerts about a channel; shipments by release time

Revision ID: 0025
Revises: 0024
Create Date: 2026-11-23 17:30:00

- `alerts.channel_id`: what a channel-volume alert is about (a channel whose orders dried up), so alerts
  can be listed per channel like per node or carrier.
- `ix_shipments_released`: the delay model counts each node's releases in the day before a shipment's
  release (its load) over the shipments released since a time; without it that is a scan of them all.
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("alerts", sa.Column("channel_id", sa.String(40), nullable=True))
    op.create_foreign_key(op.f("fk_alerts_channel_id_channels"), "alerts", "channels", ["channel_id"], ["id"])
    op.create_index("ix_shipments_released", "shipments", [sa.text("coalesce(released_at, created_at)")])


def downgrade() -> None:
    op.drop_index("ix_shipments_released", table_name="shipments")
    op.drop_constraint(op.f("fk_alerts_channel_id_channels"), "alerts", type_="foreignkey")
    op.drop_column("alerts", "channel_id")
