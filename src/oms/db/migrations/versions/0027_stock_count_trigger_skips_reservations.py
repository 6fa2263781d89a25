"""stock-count notifications: the statement trigger runs only after a count changed

Revision ID: 0027
Revises: 0026
Create Date: 2026-11-24 02:50:00

`inventory_update_notify` (migration 0003) tells the promise caches which SKUs' on-hand or safety stock
changed, in one notification per statement. It ran on every update of inventory, reservations included,
though those never change a count: a PL/pgSQL call and a join of the statement's old and new rows, 7% of
PostgreSQL's CPU during order capture. A transition-table trigger cannot name columns, so a row trigger
that can (`UPDATE OF on_hand, safety_stock ... WHEN` a count changed, both checked in C) raises a
transaction-local flag, and the statement trigger runs only when the flag is up, and lowers it. The row
trigger runs BEFORE the update: an AFTER row trigger's function runs at the end of the statement, later
than the statement trigger's WHEN is evaluated.
"""

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

FLAG = "oms.stock_counts_changed"
CHANNEL = "oms_promise_data"
MAX_PAYLOAD = 7000


def _notify_function(lower_flag: str) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION oms_notify_stock_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE skus text;
    BEGIN
      {lower_flag}
      SELECT json_agg(DISTINCT n.sku)::text INTO skus
      FROM changed n JOIN before o USING (node_id, sku)
      WHERE (n.on_hand, n.safety_stock) IS DISTINCT FROM (o.on_hand, o.safety_stock);
      IF skus IS NOT NULL THEN
        PERFORM pg_notify('{CHANNEL}', CASE WHEN octet_length(skus) > {MAX_PAYLOAD} THEN '*' ELSE skus END);
      END IF;
      RETURN NULL;
    END $$;
    """


def upgrade() -> None:
    op.execute(
        f"""
        CREATE FUNCTION oms_flag_stock_counts() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          PERFORM set_config('{FLAG}', 'on', true);
          RETURN NEW;
        END $$;
        CREATE TRIGGER inventory_counts_flag BEFORE UPDATE OF on_hand, safety_stock ON inventory
          FOR EACH ROW
          WHEN (OLD.on_hand IS DISTINCT FROM NEW.on_hand OR OLD.safety_stock IS DISTINCT FROM NEW.safety_stock)
          EXECUTE FUNCTION oms_flag_stock_counts();
        DROP TRIGGER inventory_update_notify ON inventory;
        CREATE TRIGGER inventory_update_notify AFTER UPDATE ON inventory
          REFERENCING OLD TABLE AS before NEW TABLE AS changed
          FOR EACH STATEMENT WHEN (current_setting('{FLAG}', true) = 'on')
          EXECUTE FUNCTION oms_notify_stock_counts();
        """
    )
    op.execute(_notify_function(f"PERFORM set_config('{FLAG}', '', true);"))


def downgrade() -> None:
    op.execute(
        """
        DROP TRIGGER inventory_update_notify ON inventory;
        CREATE TRIGGER inventory_update_notify AFTER UPDATE ON inventory
          REFERENCING OLD TABLE AS before NEW TABLE AS changed
          FOR EACH STATEMENT EXECUTE FUNCTION oms_notify_stock_counts();
        DROP TRIGGER inventory_counts_flag ON inventory;
        DROP FUNCTION oms_flag_stock_counts();
        """
    )
    op.execute(_notify_function(""))
