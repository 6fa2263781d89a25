"""managers' overview: indexes its sections read a period's rows with

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-23 10:50:00

- `ix_shipments_shipped_at`: the shipments that left in the period (lead times, late shipments).
- `ix_audit_events_action_created_at`: a period's order events of one kind (lines gone backordered).
- `ix_order_lines_waiting_sku`: lines that may leave units waiting for stock, by SKU (the demand waiting
  on a stock-out), a small part of the lines.

The open orders late now are read by 0018's `ix_orders_open_promised`.
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_WAITING_LINE = "status IN ('partially_allocated', 'backordered', 'released', 'partially_shipped')"


def upgrade() -> None:
    op.create_index("ix_shipments_shipped_at", "shipments", ["shipped_at"])
    op.create_index("ix_audit_events_action_created_at", "audit_events", ["action", "created_at"])
    op.create_index("ix_order_lines_waiting_sku", "order_lines", ["sku"], postgresql_where=sa.text(_WAITING_LINE))


def downgrade() -> None:
    op.drop_index("ix_order_lines_waiting_sku", table_name="order_lines")
    op.drop_index("ix_audit_events_action_created_at", table_name="audit_events")
    op.drop_index("ix_shipments_shipped_at", table_name="shipments")
