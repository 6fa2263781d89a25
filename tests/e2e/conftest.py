"""Browser tests: the app served by uvicorn in this process on a free local port, against the test
database, driven through Debian's headless Chromium by Playwright (never a browser of Playwright's own).
Screenshots of each page go to .oms/screenshots/."""

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from oms.api.app import create_app

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
SCREENSHOTS = Path(__file__).resolve().parents[2] / ".oms" / "screenshots"


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(item.fspath).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


# Both are module-scoped so that they are gone before this process runs other tests: the server's change
# listener alters how this process caches promise stock, and Playwright's sync API keeps an event loop
# running in this thread (asyncio.run would refuse to start).
@pytest.fixture(scope="module")
def live_url(_session_engine):
    """The console and API on 127.0.0.1, sharing the test database (emptied per test by `engine`)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(_session_engine[0]), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_url, engine):
    """A fresh browser context (no cookies) on the live server, each test's data emptied first."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1366, "height": 850})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
