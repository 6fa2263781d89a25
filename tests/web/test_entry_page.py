"""The console's order entry: a PDF dropped on the page becomes a draft shown beside its page images, with
low-confidence fields highlighted; staff correct it and submit it, and the page links the order. Refusals
are readable and store nothing; a viewer sees drafts without forms."""

import re

from sqlalchemy import text

from oms.services.actor import Role
from tests.api.test_order_drafts import BUYER, LINES, purchase_order_pdf, stock
from tests.web.conftest import as_role, csrf_of


def upload(web, content: bytes, token=None):
    token = token if token is not None else csrf_of(web.get("/entry").text)
    return web.post("/entry", files={"file": ("po-7781.pdf", content, "application/pdf")},
                    data={"channel": "b2b", "csrf_token": token}, follow_redirects=False)  # fmt: skip


def draft_form(page_text: str, **changes) -> dict:
    """The draft page's form filled in as staff would, with `changes`."""
    form = {"csrf_token": csrf_of(page_text),
            "expected_version": re.search(r'name="expected_version" value="(\d+)"', page_text).group(1),
            "document_number": "PO-7781", "customer_name": BUYER[0],
            "customer_email": "einkauf@becker.example.de", "currency": "EUR", "requested_delivery_date": "",
            "ship_to-name": BUYER[0], "ship_to-line1": BUYER[1], "ship_to-postal_code": "50667",
            "ship_to-city": "Köln", "ship_to-country": "DE"}  # fmt: skip
    for i, (sku, description, quantity, price) in enumerate(LINES):
        form |= {f"line-{i}-sku": sku, f"line-{i}-description": description,
                 f"line-{i}-quantity": str(quantity), f"line-{i}-unit_price": price}  # fmt: skip
    return form | changes


def rows(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_a_dropped_purchase_order_is_checked_beside_its_pages_corrected_and_submitted(web, engine):
    stock(engine)
    as_role(web, engine, Role.BACKOFFICE)
    entry = web.get("/entry")
    assert 'href="/entry"' in entry.text and 'enctype="multipart/form-data"' in entry.text
    assert "No draft to check" in entry.text

    uploaded = upload(web, purchase_order_pdf())
    assert uploaded.status_code == 303 and uploaded.headers["location"] == "/entry/1"
    page = web.get("/entry/1")
    assert '<img src="/entry/1/pages/1.png"' in page.text and 'data-testid="draft-form"' in page.text
    assert re.search(r'name="document_number" value="PO-7781"', page.text)
    assert "highlighted</span>: read with less than 80 % confidence" in page.text
    with engine.begin() as conn:  # the currency read with little confidence: highlighted, with how sure
        conn.execute(
            text("UPDATE order_drafts SET content = jsonb_set(content, '{field_confidence,currency}', '0.3')")
        )
    doubtful = web.get("/entry/1").text
    assert re.search(
        r'<label class="low" data-confidence="0.30">Currency <span class="muted">\(30 % sure\)', doubtful
    )
    assert re.search(r'<label class="" data-confidence="0.95">Document number\s', doubtful)
    image = web.get("/entry/1/pages/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert 'href="/entry/1"' in web.get("/entry").text

    submitted = web.post("/entry/1/submit", data=draft_form(page.text, **{"line-0-quantity": "4"}),
                         follow_redirects=False)  # fmt: skip
    assert submitted.status_code == 303, submitted.text
    done = web.get(submitted.headers["location"])
    order_id = re.search(r'Submitted: order <a href="/orders/(\d+)">', done.text).group(1)
    assert 'data-testid="draft-form"' not in done.text  # a submitted draft changes no more
    order = web.get(f"/orders/{order_id}")
    assert order.status_code == 200 and "PO-7781" in order.text
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT quantity FROM order_lines WHERE sku = 'TSH-BLU-L'")).scalar_one() == 4
        )


def test_a_form_refused_shows_why_and_the_draft_as_it_is(web, engine):
    as_role(web, engine, Role.OPS)
    upload(web, purchase_order_pdf())
    page = web.get("/entry/1")
    bad_quantity = web.post("/entry/1", data=draft_form(page.text, **{"line-1-quantity": "0"}))
    assert bad_quantity.status_code == 422 and "Not done: lines.1.quantity" in bad_quantity.text
    saved = web.post("/entry/1", data=draft_form(page.text), follow_redirects=False)
    assert saved.status_code == 303
    stale = web.post("/entry/1", data=draft_form(page.text, currency="CHF"))  # the version read before saving
    assert stale.status_code == 409 and "changed since it was read" in stale.text
    unknown = web.post("/entry/1/submit", data=draft_form(web.get("/entry/1").text, **{"line-0-sku": "NOPE"}))
    assert unknown.status_code == 422 and "lines.0.sku" in unknown.text
    assert rows(engine, "orders") == 0
    discarded = web.post(
        "/entry/1/discard", data={"csrf_token": csrf_of(unknown.text), "expected_version": "3"}
    )
    assert discarded.status_code == 200 and "Discarded: no order is made" in discarded.text
    assert 'data-testid="draft-form"' not in discarded.text


def test_a_file_that_is_no_readable_pdf_is_refused_on_the_page_and_stores_nothing(web, engine):
    as_role(web, engine, Role.BACKOFFICE)
    refused = upload(web, b"%PDF-1.4\n not a PDF")
    assert refused.status_code == 422 and "Not read:" in refused.text
    assert upload(web, purchase_order_pdf(), token="forged").status_code == 403
    assert rows(engine, "order_drafts") == 0 and rows(engine, "inbound_payloads") == 0


def test_a_viewer_sees_drafts_without_forms(web, engine):
    as_role(web, engine, Role.BACKOFFICE)
    upload(web, purchase_order_pdf())
    web.cookies.clear()
    as_role(web, engine, Role.VIEWER)
    assert 'href="/entry"' not in web.get("/").text  # no Entry in a viewer's navigation
    entry = web.get("/entry")
    assert "<form class" not in entry.text and 'href="/entry/1"' in entry.text
    page = web.get("/entry/1")
    assert page.status_code == 200 and "<input" not in page.text.split("<main", 1)[1]
