"""parcel tracking numbers

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 06:30:00
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled in by the work under way


def downgrade() -> None:
    pass
