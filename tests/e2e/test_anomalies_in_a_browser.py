"""The anomalies page as a manager uses it, in headless Chromium: open it from the navigation, scan now
(the real checks find a SKU selling out before replenishment), read the digest and the ranked alert with
its reasons, and acknowledge the alert from its page."""

from playwright.sync_api import Page, expect
from sqlalchemy import text

from oms.services.actor import Role
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.e2e.conftest import screenshot
from tests.factories import ADMIN, add_network, api_key, order_body, set_stock


def _jackets_selling_out(engine) -> None:
    """60 of the 62 red jackets at Lyon sold yesterday: at that pace Lyon runs out in two days."""
    add_network(engine)
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=62)
    capture_order(
        UnitOfWork(engine), ADMIN, OrderCreate.model_validate(order_body("B2B-1", [("JKT-RED-M", 60)]))
    )
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET created_at = created_at - interval '1 day'"))
        conn.execute(text("UPDATE allocations SET created_at = created_at - interval '1 day'"))


def test_a_manager_scans_reads_the_digest_and_acknowledges_the_stockout(page: Page, engine):
    _jackets_selling_out(engine)
    page.goto("/sign-in")
    page.get_by_label("API key").fill(api_key(engine, Role.MANAGER)["X-API-Key"])
    page.get_by_label("API key").press("Enter")
    page.get_by_role("link", name="Anomalies").click()
    expect(page.get_by_test_id("no-scan")).to_be_visible()
    page.get_by_role("button", name="Scan now").click()
    expect(page.get_by_test_id("digest")).to_contain_text("new: JKT-RED-M at WH-LYON")
    alert = page.locator("tr[data-alert]").first
    expect(alert).to_contain_text("stockout predicted")
    expect(alert).to_contain_text("mostly: daily demand")
    screenshot(page, "anomalies")
    alert.get_by_role("link").first.click()
    page.get_by_role("button", name="Acknowledge: I am on it").click()
    expect(page.get_by_role("status")).to_contain_text("acknowledged")
    page.goto("/anomalies")
    expect(page.locator("tr[data-alert]").first).to_contain_text("acknowledged")
