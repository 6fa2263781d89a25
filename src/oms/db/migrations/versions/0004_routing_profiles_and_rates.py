"""routing profiles and rate tables, versioned

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 04:00:00

Each save of the routing profiles or of the shipping rate table adds a version row; the highest version
is the active one, and every earlier one stays readable (what routed an order last month, who changed
it and why). Rows are never updated or deleted.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _version_columns() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("saved_by", sa.String(length=200), nullable=False),
        sa.Column("on_behalf_of", sa.String(length=200), nullable=True),
        sa.Column("comment", sa.Text(), server_default="", nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "routing_profiles",
        *_version_columns(),
        sa.Column("profiles", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_routing_profiles_version_positive")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_routing_profiles")),
    )
    op.create_table(
        "rate_tables",
        *_version_columns(),
        sa.Column("rates", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.CheckConstraint("version >= 1", name=op.f("ck_rate_tables_version_positive")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_rate_tables")),
    )


def downgrade() -> None:
    op.drop_table("rate_tables")
    op.drop_table("routing_profiles")
