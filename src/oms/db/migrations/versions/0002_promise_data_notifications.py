"""notify API processes when what a promise reads changes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 01:40:00

API processes cache stock and reference data for the delivery promise (oms.services.promise_stock);
these statement-level triggers tell them, at commit, what to forget on the channel `oms_promise_data`:
a JSON array of SKUs, `*` (all stock and channels) or `reference` (nodes and transit rules).
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHANNEL = "oms_promise_data"
# Payloads above this many bytes are sent as `*` (PostgreSQL refuses payloads of 8,000 bytes or more).
MAX_PAYLOAD = 7000

FUNCTIONS = f"""
CREATE FUNCTION oms_notify_changed_skus() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE skus text;
BEGIN
  SELECT json_agg(DISTINCT sku)::text INTO skus FROM changed;
  IF skus IS NOT NULL THEN
    PERFORM pg_notify('{CHANNEL}', CASE WHEN length(skus) > {MAX_PAYLOAD} THEN '*' ELSE skus END);
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION oms_notify_promise_data() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', TG_ARGV[0]);
  RETURN NULL;
END $$;
"""

SKU_TABLES = ("inventory", "inbound_supply", "products")
# Tables whose change affects every SKU (`*`) or the network's reference data.
WHOLE_TABLES = {"channels": "*", "channel_protections": "*", "nodes": "reference", "transit_rules": "reference"}
TRANSITIONS = {"INSERT": "NEW", "UPDATE": "NEW", "DELETE": "OLD"}


def upgrade() -> None:
    op.execute(FUNCTIONS)
    for table in SKU_TABLES:
        for event, which in TRANSITIONS.items():
            op.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_notify AFTER {event} ON {table}"
                f" REFERENCING {which} TABLE AS changed"
                " FOR EACH STATEMENT EXECUTE FUNCTION oms_notify_changed_skus()"
            )
        op.execute(
            f"CREATE TRIGGER {table}_truncate_notify AFTER TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION oms_notify_promise_data('*')"
        )
    for table, payload in WHOLE_TABLES.items():
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION oms_notify_promise_data('{payload}')"
        )


def downgrade() -> None:
    for table in SKU_TABLES:
        for event in TRANSITIONS:
            op.execute(f"DROP TRIGGER {table}_{event.lower()}_notify ON {table}")
        op.execute(f"DROP TRIGGER {table}_truncate_notify ON {table}")
    for table in WHOLE_TABLES:
        op.execute(f"DROP TRIGGER {table}_notify ON {table}")
    op.execute("DROP FUNCTION oms_notify_changed_skus()")
    op.execute("DROP FUNCTION oms_notify_promise_data()")
