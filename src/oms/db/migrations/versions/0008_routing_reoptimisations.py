"""batch re-optimisation runs

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 05:40:00

A re-optimisation of the backlog is proposed first (a dry run, stored with every change it proposes
and the version of each order it read), reviewed, then applied: the stored proposal, order by order,
skipping orders that changed since.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routing_reoptimisations",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("proposal", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("applied_by", sa.String(length=200), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint(
            "status IN ('proposed', 'applying', 'applied')", name=op.f("ck_routing_reoptimisations_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_reoptimisations")),
    )


def downgrade() -> None:
    op.drop_table("routing_reoptimisations")
