"""assistant: conversation threads, each owned by the person who started it

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-23 10:55:00

- `assistant_threads`: a conversation with the ops assistant. Its messages and any action waiting for
  approval are in LangGraph's checkpoints (schema `assistant`, created by agents.checkpoints); this row
  says whose it is (the actor's name: a user's "user:<name>" or an API key's name), its title, and
  `busy_until`: a lease taken while the assistant answers, so two messages at once on one thread are
  refused rather than interleaved.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_threads",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("busy_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_threads")),
    )
    op.create_index("ix_assistant_threads_owner_updated_at", "assistant_threads", ["owner", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_assistant_threads_owner_updated_at", table_name="assistant_threads")
    op.drop_table("assistant_threads")
