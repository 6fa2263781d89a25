import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx
import psycopg
import pytest
from sqlalchemy import event

from oms.services import promise_stock
from oms.services.promise import PromiseRequest, promise
from oms.services.promise_listener import CHANNEL
from oms.services.uow import UnitOfWork
from tests.factories import OPS, add_network, set_stock

ADMIN_KEY = "integration-admin-key"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(engine, database_url):
    """The real API in two uvicorn worker processes on the test database."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "OMS_ADMIN_API_KEY": ADMIN_KEY}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "oms.api.app:create_app", "--factory", "--workers", "2",
         "--port", str(port), "--log-level", "warning"],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    # Two workers importing the whole app on a loaded 2-core machine can take half a minute and more.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"API server exited with {proc.returncode}")
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("API server did not start")


# Promise caches: a small network, the statements run, a clock moved by hand, and a promise probe.

PROMISE_AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def network(engine):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 3)
    return engine


@pytest.fixture
def capture_network(engine):
    """The test network with 10 units of three SKUs at WH-LYON, for captures written in groups."""
    add_network(engine)
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 10)
    return engine


@pytest.fixture
def heard(engine):
    """Notifications on the promise channel, as another API process would receive them."""
    dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"LISTEN {CHANNEL}")

        def payloads(seconds: float = 0.5) -> list[str]:
            return [note.payload for note in conn.notifies(timeout=seconds)]

        yield payloads


@pytest.fixture
def statements(network):
    """The SQL statements run on the engine from now on."""
    seen: list[str] = []
    listener = lambda conn, cursor, sql, *args: seen.append(sql)
    event.listen(network, "before_cursor_execute", listener)
    yield seen
    event.remove(network, "before_cursor_execute", listener)


@pytest.fixture
def clock(monkeypatch):
    """A monotonic clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setattr(promise_stock.clock, "monotonic", lambda: now[0])
    return now


@pytest.fixture
def sources():
    """`sources(engine, sku, quantity, channel)`: the nodes the standard option ships a cart from."""

    def standard_sources(engine, sku="TSH-BLU-L", quantity=1, channel=None) -> list[str]:
        body = {"lines": [{"sku": sku, "quantity": quantity}], "destination": {"postal_code": "75011", "country": "FR"},
                "service_level": "standard", "at": PROMISE_AT, "channel": channel}  # fmt: skip
        [option] = promise(UnitOfWork(engine), OPS, PromiseRequest.model_validate(body)).options
        return [s.node_id for s in option.ship_from]

    return standard_sources
