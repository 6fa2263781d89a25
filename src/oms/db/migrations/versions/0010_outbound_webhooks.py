"""outbound webhooks: subscriptions, deliveries, dead letters

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 05:00:00
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the issue 03 work under way


def downgrade() -> None:
    pass
