"""Durable assistant threads: LangGraph's PostgreSQL checkpointer on the OMS database, so a conversation
(and an action waiting for approval) survives a restart of the process.

Its tables live in a schema of their own (`assistant`): LangGraph creates and migrates them itself
(`setup()`, versioned in its own table), apart from the OMS's Alembic-managed schema."""

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

SCHEMA = "assistant"
POOL_SIZE = 4


def postgres_checkpointer(conninfo: str) -> tuple[PostgresSaver, ConnectionPool]:
    """A checkpointer on `conninfo` (a libpq URL), its tables created if missing, and the pool to close
    when the process stops."""
    # Each connection is checked as it is lent: one the server closed meanwhile (a restart) is replaced
    # instead of failing a turn.
    pool = ConnectionPool(conninfo, min_size=1, max_size=POOL_SIZE, open=True, check=ConnectionPool.check_connection,
                          kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row,
                                  "options": f"-c search_path={SCHEMA}", "application_name": "oms-assistant"})  # fmt: skip
    saver = PostgresSaver(pool)
    # Every API worker starts at once: one sets the tables up, the others wait for it and find them there.
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(hashtext('oms.assistant.checkpoints'))")
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            saver.setup()
    except Exception:
        pool.close()  # the caller tries again on its next use: no pool left open behind
        raise
    return saver, pool
