"""The assistant's chat page in headless Chromium: an ops person asks in command mode, gets an action
card, approves it with the keyboard, and the order is on hold."""

from playwright.sync_api import Page, expect

from oms.services.actor import Role
from tests.e2e.conftest import screenshot
from tests.e2e.test_console_in_a_browser import _two_orders
from tests.factories import api_key


def test_ops_asks_the_assistant_to_hold_an_order_and_approves_the_card(page: Page, engine):
    order_id = _two_orders(engine)
    page.goto("/sign-in?next=/assistant")
    page.get_by_label("API key").fill(api_key(engine, Role.OPS)["X-API-Key"])
    page.get_by_label("API key").press("Enter")
    expect(page.get_by_test_id("no-threads")).to_be_visible()
    page.get_by_role("button", name="New conversation").click()

    page.get_by_label("Your message").fill(f"order {order_id}")
    page.get_by_label("Your message").press("Enter")
    expect(page.locator(".messages .assistant")).to_contain_text(f"Order {order_id} (web WEB-2), Jonas Weber")

    page.get_by_label("Your message").fill(f"hold {order_id} customer asked to wait")
    page.get_by_label("Your message").press("Enter")
    card = page.get_by_test_id("pending")
    expect(card).to_contain_text(f"Put on hold: order {order_id}")
    screenshot(page, "assistant")
    expect(page.get_by_role("button", name="Approve")).to_be_focused()  # Enter approves
    page.keyboard.press("Enter")
    expect(page.locator(".messages .assistant").last).to_contain_text("Done. Order")
    expect(card).to_have_count(0)

    page.goto(f"/orders/{order_id}")
    expect(page.get_by_test_id("order-status")).to_have_text("on hold")
    expect(page.get_by_test_id("timeline")).to_contain_text("assistant")
