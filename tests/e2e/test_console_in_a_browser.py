"""The console as a person uses it, in headless Chromium: sign in, find an order, hold and release it,
and read both in its timeline; a viewer sees no action at all."""

import re

from playwright.sync_api import Page, expect

from oms.services.actor import Role
from oms.services.import_run_job import run_queued
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from oms.services.users import UserCreate, create_user
from tests.channels.bulk.files import csv_file, order_rows
from tests.e2e.conftest import screenshot
from tests.factories import ADMIN, OPS, add_network, api_key, order_body, set_stock


def _two_orders(engine) -> int:
    """WEB-1 for Camille Martin and WEB-2 for Jonas Weber; WEB-2's id."""
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    capture_order(UnitOfWork(engine), OPS, OrderCreate.model_validate(order_body("WEB-1")))
    weber = order_body("WEB-2", customer={"name": "Jonas Weber", "email": "jonas.weber@example.de"})
    return capture_order(UnitOfWork(engine), OPS, OrderCreate.model_validate(weber))[0].id


def test_ops_finds_an_order_holds_it_releases_the_hold_and_reads_both_in_its_timeline(page: Page, engine):
    order_id = _two_orders(engine)
    key = api_key(engine, Role.OPS)["X-API-Key"]

    page.goto("/orders")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/orders"))
    screenshot(page, "sign-in")
    page.get_by_label("API key").fill(key)
    page.get_by_label("API key").press("Enter")  # forms submit with Enter
    expect(page.get_by_role("heading", name="Orders")).to_be_visible()
    expect(page.locator("#orders-table tbody tr")).to_have_count(2)

    page.get_by_label("Search").fill("Weber")  # htmx swaps the table as one types; the URL follows
    expect(page.locator("#orders-table tbody tr")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"q=Weber"))
    screenshot(page, "orders")
    page.get_by_role("link", name=str(order_id), exact=True).click()
    expect(page.get_by_role("heading", name=f"Order {order_id}")).to_be_visible()
    screenshot(page, "order")

    page.get_by_role("link", name="Put on hold").click()
    screenshot(page, "order-hold-confirmation")
    page.get_by_label("Reason").fill("customer called: wrong size")
    page.get_by_role("button", name="Confirm: put on hold").click()
    expect(page.get_by_test_id("order-status")).to_have_text("on hold")
    expect(page.get_by_role("status")).to_have_text("The order is on hold.")

    page.get_by_role("link", name="Release the hold").click()
    page.get_by_role("button", name="Confirm: release the hold").click()
    expect(page.get_by_test_id("order-status")).to_have_text("allocated")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Put on hold")
    expect(timeline).to_contain_text("reason: customer called: wrong size")
    expect(timeline).to_contain_text("Hold released")
    screenshot(page, "order-timeline")

    page.goto("/")
    expect(page.get_by_test_id("count-on-hold")).to_have_text("0")
    screenshot(page, "home")
    for name, path in (("inventory", "/inventory?sku=TSH-BLU-L"), ("low-stock", "/inventory/low-stock"),
                       ("imports", "/imports"),
                       ("overview", "/overview"),
                       ("network", "/network"), ("alerts", "/alerts?status=any")):  # fmt: skip
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        screenshot(page, name)


def test_a_viewer_signed_in_with_a_password_sees_no_action(page: Page, engine):
    order_id = _two_orders(engine)
    create_user(UnitOfWork(engine), ADMIN, UserCreate(name="vera", password="correct horse 1", role="viewer"))

    page.goto(f"/orders/{order_id}")
    page.get_by_label("Name").fill("vera")
    page.get_by_label("Password").fill("correct horse 1")
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", name=f"Order {order_id}")).to_be_visible()
    expect(page.get_by_test_id("role")).to_have_text("viewer")
    expect(page.get_by_test_id("actions")).to_have_count(0)
    expect(page.get_by_role("link", name="Put on hold")).to_have_count(0)
    screenshot(page, "order-as-viewer")

    page.goto(f"/orders/{order_id}/actions/hold")  # typed by hand: the service refuses all the same
    expect(page.get_by_role("alert")).to_contain_text("may not order:hold")


def test_a_clerk_uploads_an_order_file_and_watches_its_import_finish(page: Page, engine):
    add_network(engine)
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 100)
    page.goto("/imports")
    page.get_by_label("API key").fill(api_key(engine, Role.BACKOFFICE)["X-API-Key"])
    page.get_by_label("API key").press("Enter")
    page.get_by_label("File (CSV or XLSX)").set_input_files(
        {"name": "po-week-12.csv", "mimeType": "text/csv", "buffer": csv_file(order_rows())})
    page.get_by_role("button", name="Start the import").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "queued")
    run_queued(engine)  # the worker's job; the page polls until the run has ended
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "done")
    expect(page.get_by_test_id("rows-done")).to_have_text("5 of 5 rows")
    expect(page.get_by_test_id("imported-orders").get_by_role("link")).to_have_count(2)
    screenshot(page, "import-run")
