"""return idempotency by channel reference

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 06:30:00
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work under way


def downgrade() -> None:
    pass
