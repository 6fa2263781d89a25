"""routing proposals; what a shipment was quoted and charged

Revision ID: 0026
Revises: 0025
Create Date: 2026-11-23 19:05:00

- `routing_proposals`: a routing-profile change the routing advisor (issue 09) proposes with the replay
  that argues for it; it changes routing only once a person approves it, as a new profiles version.
- `shipments.quoted_cost` and `shipments.charged_cost`: the rate table's price when the parcel was routed
  and the carrier's bill, so routing learns what shipping really costs per carrier and lane.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "routing_proposals",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="proposed"),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("reliability_version", sa.Integer),
        sa.Column("profiles", JSONB, nullable=False),
        sa.Column("evidence", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("summary", sa.Text, nullable=False, server_default=""),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", sa.DateTime(timezone=True)),
        sa.Column("decision_comment", sa.Text),
        sa.Column("applied_version", sa.Integer),
        sa.CheckConstraint("status IN ('proposed','approved','rejected','superseded')", name="status_known"),
    )
    op.create_index("ix_routing_proposals_status", "routing_proposals", ["status", "created_at"])
    op.add_column("shipments", sa.Column("quoted_cost", sa.Numeric(10, 2)))
    op.add_column("shipments", sa.Column("charged_cost", sa.Numeric(10, 2)))


def downgrade() -> None:
    op.drop_column("shipments", "charged_cost")
    op.drop_column("shipments", "quoted_cost")
    op.drop_index("ix_routing_proposals_status", table_name="routing_proposals")
    op.drop_table("routing_proposals")
