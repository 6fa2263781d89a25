"""Statements run on the driver's connection, without SQLAlchemy's result machinery.

On the hottest write path SQLAlchemy's per-statement work (compiled-cache lookup, parameter processing,
result metadata) costs about as much Python as psycopg itself. The few statements there are text()
constants with plain parameters, so they are compiled once to the driver's parameter style and run on
the DBAPI connection underneath the SQLAlchemy one, inside the same transaction. Driver errors come
through unwrapped (psycopg.Error, not sqlalchemy.exc.DBAPIError).
"""

from functools import lru_cache

from psycopg import AsyncConnection
from psycopg.rows import namedtuple_row
from sqlalchemy import Connection, TextClause
from sqlalchemy.engine import Dialect


def fetch_one(conn: Connection, stmt: TextClause, params: dict):
    """The first row of `stmt` (a named tuple), or None."""
    driver = conn.connection.driver_connection
    with driver.cursor(row_factory=namedtuple_row) as cursor:
        cursor.execute(_sql(stmt, conn.dialect), params)
        return cursor.fetchone()


async def fetch_one_async(conn: AsyncConnection, stmt: TextClause, params: dict, dialect: Dialect):
    """`fetch_one` on an async driver connection; `dialect` compiles `stmt` (the sync engine's)."""
    async with conn.cursor(row_factory=namedtuple_row) as cursor:
        await cursor.execute(_sql(stmt, dialect), params)
        return await cursor.fetchone()


@lru_cache(maxsize=64)
def _sql(stmt: TextClause, dialect: Dialect) -> str:
    return str(stmt.compile(dialect=dialect))
