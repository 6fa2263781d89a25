"""web users (reserved for issue 05; filled in by the web console)

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-23 07:40:00
"""

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
