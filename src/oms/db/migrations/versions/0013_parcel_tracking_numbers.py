"""parcel tracking numbers

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-23 06:30:00

- `shipment_parcels`: one row per tracking number a shipment's parcels carry (a multi-parcel shipment has
  one per box), indexed by number, so a carrier's event for any box finds its shipment with one index
  probe, and each parcel keeps what its carrier reported: the shipment is delivered once all of them are.
  A table rather than a GIN index on `shipments.parcels`: the JSON would find the shipment as fast, but
  each parcel's status would then be rewritten inside the shipment's JSON on every scan. The shipment's
  main number stays found through `ix_shipments_tracking_number`; it is not repeated here.
- Backfilled from the parcels of existing shipments: delivered with their shipment, otherwise as shipped
  (nothing the carrier said about one box was kept before).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

STATUSES = "status IN ('shipped','in_transit','out_for_delivery','delivered','exception','returned_to_sender')"

_BACKFILL = """
INSERT INTO shipment_parcels (shipment_id, tracking_number, status, status_at, delivered_at)
SELECT DISTINCT ON (s.id, p.number) s.id, p.number,
       CASE WHEN s.status = 'delivered' THEN 'delivered' ELSE 'shipped' END,
       CASE WHEN s.status = 'delivered' THEN s.delivered_at END,
       CASE WHEN s.status = 'delivered' THEN s.delivered_at END
FROM shipments s, jsonb_array_elements(s.parcels) AS e,
     LATERAL (SELECT trim(e->>'tracking_number') AS number) AS p
WHERE coalesce(p.number, '') <> ''
"""


def upgrade() -> None:
    op.create_table(
        "shipment_parcels",
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=24), server_default="shipped", nullable=False),
        sa.Column("status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(STATUSES, name=op.f("ck_shipment_parcels_status")),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_shipment_parcels_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("shipment_id", "tracking_number", name=op.f("pk_shipment_parcels")),
    )
    op.create_index("ix_shipment_parcels_tracking_number", "shipment_parcels", ["tracking_number"])
    op.execute(_BACKFILL)


def downgrade() -> None:
    op.drop_index("ix_shipment_parcels_tracking_number", table_name="shipment_parcels")
    op.drop_table("shipment_parcels")
