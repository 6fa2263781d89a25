"""anomaly detection: trained models, open shipments' delay risk, scans with their digest

Revision ID: 0024
Revises: 0023
Create Date: 2026-11-23 16:40:00

- `ml_models`: a trained scikit-learn model (joblib bytes) with its name ('delay'), version (1, 2, ...
  per name), the time window it learned from and the one it was validated on, and its metrics; the
  highest version of a name is the one in use.
- `shipment_risks`: the latest P(late) of each open shipment, the model version that gave it and the
  features that contributed most; what the manager page charts and alerts explain.
- `anomaly_scans`: each run of the anomaly agent: when, by whom, what it raised and resolved, and the
  manager digest it wrote (by the LLM or from the template).
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ml_models",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("trained_by", sa.String(200), nullable=False),
        sa.Column("train_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("train_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("validate_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("validate_to", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("metrics", postgresql.JSONB(), nullable=False),
        sa.Column("artifact", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ml_models")),
        sa.UniqueConstraint("name", "version", name=op.f("uq_ml_models_name")),
    )
    op.create_table(
        "shipment_risks",
        sa.Column("shipment_id", sa.BigInteger(), nullable=False),
        sa.Column("p_late", sa.Float(), nullable=False),
        sa.Column("model_version", sa.Integer(), nullable=False),
        sa.Column("contributions", postgresql.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("scored_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("p_late >= 0 AND p_late <= 1", name=op.f("ck_shipment_risks_probability")),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_shipment_risks_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("shipment_id", name=op.f("pk_shipment_risks")),
    )
    op.create_table(
        "anomaly_scans",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("raised", sa.Integer(), server_default="0", nullable=False),
        sa.Column("resolved", sa.Integer(), server_default="0", nullable=False),
        sa.Column("summary", postgresql.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("digest", sa.Text(), nullable=True),
        sa.Column("digest_by", sa.String(10), nullable=True),
        sa.CheckConstraint("digest_by IN ('llm','template')", name=op.f("ck_anomaly_scans_digest_by")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anomaly_scans")),
    )
    op.create_index("ix_anomaly_scans_started_at", "anomaly_scans", ["started_at"])


def downgrade() -> None:
    op.drop_table("anomaly_scans")
    op.drop_table("shipment_risks")
    op.drop_table("ml_models")
