"""console: bulk imports run in the background, with their progress

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-23 10:50:00
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
