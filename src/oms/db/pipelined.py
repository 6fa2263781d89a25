"""Statements sent together with their transaction's BEGIN or COMMIT, in one network round trip.

On the hottest write path a round trip is not only latency: rows a statement locks stay locked until
COMMIT, and every trip back to a busy Python process lengthens that. psycopg's pipeline mode queues
BEGIN + statement, or statement + COMMIT, and sends them at once. A statement that fails aborts the
transaction, so the COMMIT queued behind it commits nothing: the error is raised here, and the caller's
unit of work rolls back as usual.
"""

from functools import lru_cache

from psycopg.rows import namedtuple_row
from sqlalchemy import Connection, TextClause
from sqlalchemy.engine import Dialect


def begin_with(conn: Connection, stmt: TextClause, params: dict):
    """Open `conn`'s transaction with `stmt`; returns its first row (or None)."""
    raw = conn.connection.driver_connection
    with raw.pipeline():
        cursor = raw.cursor(row_factory=namedtuple_row)
        cursor.execute(_sql(stmt, conn.dialect), params)
    return cursor.fetchone()


def commit_with(conn: Connection, stmt: TextClause, params: dict):
    """Run `stmt` as the last statement of `conn`'s transaction and commit; returns its first row."""
    raw = conn.connection.driver_connection
    with raw.pipeline():
        cursor = raw.cursor(row_factory=namedtuple_row)
        cursor.execute(_sql(stmt, conn.dialect), params)
        raw.commit()
    return cursor.fetchone()


@lru_cache(maxsize=64)
def _sql(stmt: TextClause, dialect: Dialect) -> str:
    """The statement in the driver's own parameter style (`%(name)s`)."""
    return str(stmt.compile(dialect=dialect))
