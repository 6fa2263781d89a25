"""returns: policies, RMAs, receipts, inspections, refunds

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 05:00:00
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the issue 03 work under way


def downgrade() -> None:
    pass
