"""oms.db.tables mirrors what the migrations build: a table, column, index or constraint added to one
and not the other is drift, which queries typed against the mirror would only find at run time."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from oms.db.tables import metadata


def test_tables_mirror_the_migrated_schema(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": False})
        differences = compare_metadata(context, metadata)
    assert differences == []
