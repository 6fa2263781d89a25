"""fulfilment orders, WMS integration and inbound WMS events

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 05:00:00
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the issue 03 work under way


def downgrade() -> None:
    pass
