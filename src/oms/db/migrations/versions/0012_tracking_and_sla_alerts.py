"""carrier tracking events, SLA alerts

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-23 05:10:00
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the issue 03 work under way


def downgrade() -> None:
    pass
