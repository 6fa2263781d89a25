"""oms_positions(): the stock positions an order reserves, with a row estimate the planner can use

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 03:05:00

Order capture sends the positions it reserves as a JSON document. Read with jsonb_to_recordset, the
planner assumes 100 rows and joins them to inventory by hashing a sequential scan of the whole table,
twice per order: cheap on a demo catalogue, ruinous on millions of positions. A PL/pgSQL function is
never inlined, so its ROWS estimate stands, and the joins become index lookups on the primary key.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE FUNCTION oms_positions(doc jsonb)
        RETURNS TABLE (node_id text, sku text, qty int, on_hand int, safety_stock int, max_reserved int)
        LANGUAGE plpgsql IMMUTABLE ROWS 4 AS $$
        BEGIN
          RETURN QUERY SELECT * FROM jsonb_to_recordset(doc) AS p(node_id text, sku text, qty int, on_hand int,
                                                                  safety_stock int, max_reserved int);
        END $$
        """
    )


def downgrade() -> None:
    op.execute("DROP FUNCTION oms_positions(jsonb)")
