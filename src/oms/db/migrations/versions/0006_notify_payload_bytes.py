"""notification payloads measured in bytes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 03:20:00

PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. The triggers of migrations 0002 and 0003
measured their SKU lists in characters, so a bulk change of SKUs with multi-byte characters could be
refused outright; they now measure bytes.
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

CHANNEL = "oms_promise_data"
MAX_PAYLOAD = 7000


def _functions(length: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION oms_notify_changed_skus() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE skus text;
    BEGIN
      SELECT json_agg(DISTINCT sku)::text INTO skus FROM changed;
      IF skus IS NOT NULL THEN
        PERFORM pg_notify('{CHANNEL}', CASE WHEN {length}(skus) > {MAX_PAYLOAD} THEN '*' ELSE skus END);
      END IF;
      RETURN NULL;
    END $$;
    CREATE OR REPLACE FUNCTION oms_notify_stock_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE skus text;
    BEGIN
      SELECT json_agg(DISTINCT n.sku)::text INTO skus
      FROM changed n JOIN before o USING (node_id, sku)
      WHERE (n.on_hand, n.safety_stock) IS DISTINCT FROM (o.on_hand, o.safety_stock);
      IF skus IS NOT NULL THEN
        PERFORM pg_notify('{CHANNEL}', CASE WHEN {length}(skus) > {MAX_PAYLOAD} THEN '*' ELSE skus END);
      END IF;
      RETURN NULL;
    END $$;
    """


def upgrade() -> None:
    op.execute(_functions("octet_length"))


def downgrade() -> None:
    op.execute(_functions("length"))
