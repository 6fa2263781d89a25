"""edi_partners (reserved for issue 04; filled in by its adapter)

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-23 07:30:00
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
