"""routing decisions, daily capacity consumed per node, routing data notifications

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 05:00:00

- `routing_decisions`: every routing of an order (at capture, on a reroute, by a batch re-optimisation)
  with its explanation, so "why did this order ship from there?" has an answer months later.
- `node_capacity_usage`: shipments each node took on per local day. Triggers on `allocations` keep it
  true on every path (capture, edit, cancel, reroute): an order's first allocation at a node takes one
  shipment of the node's capacity for the node's local day, its last allocation there gives it back.
  The count of a busy node is spread over `SLOTS` rows (by order id), so concurrent captures routed to
  the same node do not queue on one counter row; readers sum the slots.
- Saving routing profiles or a rate table notifies `routing` on the channel API processes listen on,
  so each forgets its cached copy.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CHANNEL = "oms_promise_data"
SLOTS = 8

# `moved`: allocations just inserted (sign 1) or deleted (sign -1). A pair (order, node) counts when no
# other allocation of the order stays at the node. Counter rows are upserted in (node, day, slot) order,
# after the statement's inventory locks, so two transactions never wait on each other in a cycle.
FUNCTION = f"""
CREATE FUNCTION oms_count_node_shipments() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE sign int := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
  INSERT INTO node_capacity_usage (node_id, day, slot, shipments)
  SELECT p.node_id, p.day, p.slot, sign * count(*)
  FROM (SELECT m.order_id, m.node_id, (min(m.created_at) AT TIME ZONE n.timezone)::date AS day,
               (m.order_id % {SLOTS})::smallint AS slot
        FROM moved m JOIN nodes n ON n.id = m.node_id
        GROUP BY m.order_id, m.node_id, n.timezone) p
  WHERE NOT EXISTS (SELECT 1 FROM allocations a
                    WHERE a.order_id = p.order_id AND a.node_id = p.node_id
                      AND a.id NOT IN (SELECT id FROM moved))
  GROUP BY p.node_id, p.day, p.slot
  ORDER BY p.node_id, p.day, p.slot
  ON CONFLICT (node_id, day, slot)
    DO UPDATE SET shipments = node_capacity_usage.shipments + excluded.shipments;
  RETURN NULL;
END $$;
"""


def upgrade() -> None:
    op.create_table(
        "routing_decisions",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("order_id", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("strategy", sa.String(length=80), nullable=True),
        sa.Column("profiles_version", sa.Integer(), nullable=False),
        sa.Column("rates_version", sa.Integer(), nullable=False),
        sa.Column("decision", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], name=op.f("fk_routing_decisions_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_decisions")),
    )
    op.create_index("ix_routing_decisions_order_id", "routing_decisions", ["order_id", "id"])
    op.create_table(
        "node_capacity_usage",
        sa.Column("node_id", sa.String(length=40), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("shipments", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["node_id"], ["nodes.id"], name=op.f("fk_node_capacity_usage_node_id_nodes")),
        sa.PrimaryKeyConstraint("node_id", "day", "slot", name=op.f("pk_node_capacity_usage")),
    )
    # The trigger's "does the order keep an allocation at this node?" probe; it serves lookups by order too.
    op.create_index("ix_allocations_order_node", "allocations", ["order_id", "node_id"])
    op.drop_index("ix_allocations_order_id", table_name="allocations")
    op.execute(FUNCTION)
    for event, which in (("INSERT", "NEW"), ("DELETE", "OLD")):
        op.execute(
            f"CREATE TRIGGER allocations_{event.lower()}_capacity AFTER {event} ON allocations"
            f" REFERENCING {which} TABLE AS moved"
            " FOR EACH STATEMENT EXECUTE FUNCTION oms_count_node_shipments()"
        )
    # Capacity already taken today by allocations made before this migration.
    op.execute(
        f"""
        INSERT INTO node_capacity_usage (node_id, day, slot, shipments)
        SELECT p.node_id, p.day, (p.order_id % {SLOTS})::smallint, 1
        FROM (SELECT a.order_id, a.node_id, (min(a.created_at) AT TIME ZONE n.timezone)::date AS day
              FROM allocations a JOIN nodes n ON n.id = a.node_id
              GROUP BY a.order_id, a.node_id, n.timezone) p
        ON CONFLICT (node_id, day, slot) DO UPDATE SET shipments = node_capacity_usage.shipments + 1
        """
    )
    for table in ("routing_profiles", "rate_tables"):
        op.execute(
            f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}"
            " FOR EACH STATEMENT EXECUTE FUNCTION oms_notify_promise_data('routing')"
        )


def downgrade() -> None:
    for table in ("routing_profiles", "rate_tables"):
        op.execute(f"DROP TRIGGER {table}_notify ON {table}")
    for event in ("insert", "delete"):
        op.execute(f"DROP TRIGGER allocations_{event}_capacity ON allocations")
    op.execute("DROP FUNCTION oms_count_node_shipments()")
    op.create_index("ix_allocations_order_id", "allocations", ["order_id"])
    op.drop_index("ix_allocations_order_node", table_name="allocations")
    op.drop_table("node_capacity_usage")
    op.drop_index("ix_routing_decisions_order_id", table_name="routing_decisions")
    op.drop_table("routing_decisions")
