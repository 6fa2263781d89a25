"""managers' overview: indexes its charts read with (delete this file if none is needed)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-23 10:50:00
"""

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
