"""oms.db.tables mirrors what the migrations build: a table, column, index or constraint added to one
and not the other is drift, which queries typed against the mirror would only find at run time."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from oms.db.tables import metadata


def test_tables_mirror_the_migrated_schema(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_no_index_duplicates_another(engine):
    """Two indexes on the same columns, predicate and uniqueness cost every write twice for nothing."""
    with engine.connect() as conn:
        twins = conn.execute(text("""
            SELECT array_agg(indexrelid::regclass::text ORDER BY indexrelid::regclass::text)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            WHERE c.relnamespace = 'public'::regnamespace
            GROUP BY indrelid, indkey::text, indclass::text, indisunique,
                     coalesce(pg_get_expr(indexprs, indrelid), ''), coalesce(pg_get_expr(indpred, indrelid), '')
            HAVING count(*) > 1""")).scalars().all()  # fmt: skip
    assert twins == []
