import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

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


def _wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
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
