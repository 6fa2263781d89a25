"""capture support: oms_require(), and reservations no longer notified at commit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 02:40:00

Order capture writes an order in the same network round trip as its COMMIT; a statement that finds the
stock changed since it was read must then fail (so the COMMIT commits nothing), with an error the
service tells apart from any other: SQLSTATE OM001.

NOTIFY takes a database-wide lock at commit, which serialises every committing transaction that
notified, with its row locks held. Reservations change `inventory.reserved` on every order, so the
inventory update trigger now announces only changes of on hand or safety stock; the API processes
announce their own reservations in batches, outside the order's transaction (oms.services.promise_listener).
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


STOCK_COUNTS = """
CREATE FUNCTION oms_notify_stock_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE skus text;
BEGIN
  SELECT json_agg(DISTINCT n.sku)::text INTO skus
  FROM changed n JOIN before o USING (node_id, sku)
  WHERE (n.on_hand, n.safety_stock) IS DISTINCT FROM (o.on_hand, o.safety_stock);
  IF skus IS NOT NULL THEN
    PERFORM pg_notify('oms_promise_data', CASE WHEN length(skus) > 7000 THEN '*' ELSE skus END);
  END IF;
  RETURN NULL;
END $$;
DROP TRIGGER inventory_update_notify ON inventory;
CREATE TRIGGER inventory_update_notify AFTER UPDATE ON inventory
  REFERENCING OLD TABLE AS before NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION oms_notify_stock_counts();
"""


def upgrade() -> None:
    op.execute(STOCK_COUNTS)
    op.execute(
        """
        CREATE FUNCTION oms_require(ok boolean, message text) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
          IF ok IS NOT TRUE THEN
            RAISE EXCEPTION '%', message USING ERRCODE = 'OM001';
          END IF;
          RETURN true;
        END $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION oms_require(boolean, text)")
    op.execute("DROP TRIGGER inventory_update_notify ON inventory")
    op.execute(
        "CREATE TRIGGER inventory_update_notify AFTER UPDATE ON inventory REFERENCING NEW TABLE AS changed"
        " FOR EACH STATEMENT EXECUTE FUNCTION oms_notify_changed_skus()"
    )
    op.execute("DROP FUNCTION oms_notify_stock_counts()")
