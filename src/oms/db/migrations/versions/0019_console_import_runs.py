"""console: bulk imports run in the background, with their progress

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-23 10:50:00

- `import_runs`: a bulk order import queued by the console or the API and run by the worker: the
  command, the uploaded file (released once the run ends: the inbound payload keeps what was imported),
  who asked (to act as them), its status and rows done, the report when it ends, and a lease so that a
  run whose worker died is taken up again.
- A partial index holds only the runs not yet ended: the worker's claim reads an empty index when idle.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

STATUSES = "status IN ('queued','checking','importing','done','refused','interrupted','failed')"
OPEN = "status IN ('queued','checking','importing')"


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("channel_id", sa.String(length=40), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("skip_invalid", sa.Boolean(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="queued", nullable=False),
        sa.Column("rows_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("rows_total", sa.Integer(), nullable=True),
        sa.Column("report", postgresql.JSONB(), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("actor_channel_id", sa.String(length=40), nullable=True),
        sa.Column("on_behalf_of", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_import_runs_status")),
        sa.CheckConstraint(f"({OPEN}) = (content IS NOT NULL)", name=op.f("ck_import_runs_content_while_open")),
        sa.ForeignKeyConstraint(["channel_id"], ["channels.id"], name=op.f("fk_import_runs_channel_id_channels")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_index("ix_import_runs_open", "import_runs", ["id"], postgresql_where=sa.text(OPEN))
    op.create_index("ix_import_runs_channel", "import_runs", ["channel_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_import_runs_channel", table_name="import_runs")
    op.drop_index("ix_import_runs_open", table_name="import_runs")
    op.drop_table("import_runs")
