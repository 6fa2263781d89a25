"""A throw-away database for a benchmark: created on the configured server (the embedded one unless
DATABASE_URL is set), migrated, and dropped when the benchmark ends, however it ends."""

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text

from oms.db.engine import database_url
from oms.db.migrate import upgrade


@contextmanager
def scratch_database(label: str) -> Iterator[str]:
    """The URL of a fresh, migrated database named after `label` and this process."""
    server = database_url()
    name = f"oms_bench_{label}_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
