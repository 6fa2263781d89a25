"""Order entry as back-office staff use it, in headless Chromium: a PDF purchase order chosen on the entry
page becomes a draft shown beside its page image; a field fixed and the draft submitted, the page links
the order captured from it."""

import re

from playwright.sync_api import Page, expect

from oms.services.actor import Role
from tests.api.test_order_drafts import purchase_order_pdf, stock
from tests.e2e.conftest import screenshot
from tests.factories import add_network, api_key


def test_staff_read_a_purchase_order_fix_a_field_and_submit_the_order(page: Page, engine):
    add_network(engine)
    stock(engine)
    page.goto("/sign-in?next=/entry")
    page.get_by_label("API key").fill(api_key(engine, Role.BACKOFFICE)["X-API-Key"])
    page.get_by_label("API key").press("Enter")
    expect(page.get_by_role("heading", name="Order entry")).to_be_visible()
    screenshot(page, "entry")

    page.get_by_label("Drop a PDF here").set_input_files(
        {"name": "po-7781.pdf", "mimeType": "application/pdf", "buffer": purchase_order_pdf()}
    )
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", name=re.compile(r"Draft \d+: po-7781.pdf"))).to_be_visible()
    image = page.get_by_role("img", name=re.compile("Page 1 of 1"))
    expect(image).to_be_visible()
    # the page rendered, not a broken image (decode() waits for it to load, and fails for a broken one)
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    screenshot(page, "entry-draft")

    page.get_by_label("Customer email").fill("orders@becker.example.de")
    page.get_by_label("Quantity of line 1").fill("5")
    page.get_by_test_id("submit-draft").click()
    expect(page.get_by_test_id("draft-order")).to_contain_text("Submitted: order")
    expect(page.get_by_test_id("draft-status")).to_have_text("submitted")
    screenshot(page, "entry-submitted")

    page.get_by_test_id("draft-order").get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"Order \d+"))).to_be_visible()
    expect(page.get_by_text("orders@becker.example.de").first).to_be_visible()
