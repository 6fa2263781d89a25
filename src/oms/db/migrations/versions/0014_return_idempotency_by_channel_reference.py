"""return idempotency by channel reference

A storefront that retries a return request after a timeout sends the same reference again: it identifies
the RMA already authorised (unique per channel; returns without one are not deduplicated), and the hash
of the request tells a retry from a different request reusing the reference (as orders' capture_hash).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-23 06:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("returns", sa.Column("external_id", sa.String(length=100), nullable=True))
    op.add_column("returns", sa.Column("request_hash", sa.String(length=64), nullable=True))
    op.create_unique_constraint("uq_returns_channel_external", "returns", ["channel_id", "external_id"])
    op.create_check_constraint(
        op.f("ck_returns_external_id_hashed"), "returns", "external_id IS NULL OR request_hash IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_returns_external_id_hashed"), "returns", type_="check")
    op.drop_constraint("uq_returns_channel_external", "returns", type_="unique")
    op.drop_column("returns", "request_hash")
    op.drop_column("returns", "external_id")
