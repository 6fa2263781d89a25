"""Test databases: a real PostgreSQL (the embedded one unless DATABASE_URL is set), one database per
test process, migrated once, emptied before each test that asks for `engine`."""

import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from oms.db.engine import make_engine
from oms.db.migrate import upgrade
from tests.factories import forget_cached_reads

ROOT = Path(__file__).resolve().parent.parent


def _server_url() -> str:
    if os.environ.get("DATABASE_URL"):
        from oms.db.engine import _with_psycopg_driver

        return _with_psycopg_driver(os.environ["DATABASE_URL"])
    from oms.db.embedded import embedded_database_url

    return embedded_database_url(ROOT / ".oms" / "test")


def _drop_databases_of_dead_runs(conn) -> None:
    names = conn.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'oms_test_%'")).scalars()
    for name in list(names):
        pid = name.removeprefix("oms_test_")
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_url() -> str:
    """A fresh database for this test process (named by pid, so parallel runs never collide)."""
    server = _server_url()
    name = f"oms_test_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        _drop_databases_of_dead_runs(conn)
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def _session_engine(database_url: str):
    engine = make_engine(database_url, pool_size=5)
    with engine.connect() as conn:
        tables = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
        ).scalars().all()
    truncate = "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
    yield engine, truncate
    engine.dispose()


@pytest.fixture
def engine(_session_engine):
    engine, truncate = _session_engine
    with engine.begin() as conn:
        conn.execute(text(truncate))
    forget_cached_reads()
    return engine
