"""The orders list and an order's page, read through oms.services as the signed-in actor."""

import re

from fastapi.testclient import TestClient
from sqlalchemy import text

from oms.api.app import create_app
from oms.services.actor import Role
from tests.factories import order_body, set_stock
from tests.tracking_factories import post, shipped_order, tracking_event
from tests.web.conftest import as_role


def _ids(page_text: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/orders/(\d+)">', page_text)]


def test_the_list_filters_by_customer_reference_status_channel_and_node(web, engine, captured):
    first, second = captured
    as_role(web, engine, Role.OPS)
    assert _ids(web.get("/orders").text) == [second["id"], first["id"]]  # newest first
    assert _ids(web.get("/orders?q=weber").text) == [second["id"]]  # part of a name, any case
    assert _ids(web.get("/orders?q=camille.martin@").text) == [first["id"]]
    assert _ids(web.get("/orders?q=WEB-1").text) == [first["id"]]
    assert _ids(web.get(f"/orders?q={second['id']}").text) == [second["id"]]
    assert _ids(web.get("/orders?node=WH-KOELN").text) == [second["id"]]
    assert _ids(web.get("/orders?channel=web&status=allocated&q=&node=").text) == [second["id"], first["id"]]
    assert _ids(web.get("/orders?channel=marketplace").text) == []
    for not_a_number in ("²", "١٢", "9" * 19):  # digits to str.isdigit, not order numbers
        answer = web.get("/orders", params={"q": not_a_number})
        assert answer.status_code == 200 and _ids(answer.text) == []
    empty = web.get("/orders?status=on_hold")
    assert "No order matches these filters" in empty.text and "clear every filter" in empty.text


def test_late_and_at_risk_orders_are_found_and_marked(web, engine, captured):
    first, second = captured
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET promised_delivery_date = current_date - 2 WHERE id = :id"),
                     {"id": first["id"]})
        conn.execute(text("INSERT INTO alerts (kind, severity, dedupe_key, order_id, message) "
                          "VALUES ('ship_by_at_risk', 'warning', 'k1', :id, 'cut-off near')"), {"id": second["id"]})
    as_role(web, engine, Role.VIEWER)
    late = web.get("/orders?late=true")
    assert _ids(late.text) == [first["id"]] and '<span class="badge late">late</span>' in late.text
    risky = web.get("/orders?at_risk=true")
    assert _ids(risky.text) == [second["id"]] and '<span class="badge risk">at risk</span>' in risky.text
    home = web.get("/")
    assert 'count-late">1<' in home.text and 'count-at-risk">1<' in home.text and 'count-on-hold">0<' in home.text


def test_created_dates_bound_the_list_inclusively(web, engine, captured):
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET created_at = '2026-03-10 12:00+00' WHERE id = :id"),
                     {"id": captured[0]["id"]})
    as_role(web, engine, Role.OPS)
    assert _ids(web.get("/orders?created_from=2026-03-10&created_to=2026-03-10").text) == [captured[0]["id"]]
    assert _ids(web.get("/orders?created_to=2026-03-09").text) == []


def test_pages_go_by_keyset_and_htmx_gets_the_table_alone_with_the_filters_kept(web, engine, captured):
    as_role(web, engine, Role.OPS)
    first_page = web.get("/orders?limit=1&q=example", headers={"HX-Request": "true"})
    assert "<html" not in first_page.text and _ids(first_page.text) == [captured[1]["id"]]
    older = re.search(r'hx-get="(/orders\?[^"]+)"', first_page.text).group(1).replace("&amp;", "&")
    assert "q=example" in older and f"cursor={captured[1]['id']}" in older
    assert "limit=1" in older  # the page size is a filter the next page keeps
    second_page = web.get(older)
    assert "<html" in second_page.text and _ids(second_page.text) == [captured[0]["id"]]
    assert "Older orders" not in second_page.text


def test_a_filter_that_makes_no_sense_says_what_is_wrong(web, engine, captured):
    as_role(web, engine, Role.OPS)
    answer = web.get("/orders?status=lost&created_from=yesterday")
    assert answer.status_code == 422 and "status" in answer.text and "created_from" in answer.text


def test_a_channel_key_sees_its_own_orders_only(web, engine, captured, api_headers):
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=5)
    other = web.post("/api/v1/orders", headers=api_headers,
                     json=order_body("MP-1", channel="marketplace", lines=[("TSH-BLU-M", 1)])).json()
    as_role(web, engine, Role.CHANNEL, "web")
    assert other["id"] not in _ids(web.get("/orders").text)
    assert _ids(web.get("/orders?channel=marketplace").text) == [captured[1]["id"], captured[0]["id"]]
    hidden = web.get(f"/orders/{other['id']}")
    assert hidden.status_code == 404 and "search the orders" in hidden.text


def test_an_order_page_shows_lines_allocations_routing_timeline_and_its_payload(web, engine, captured):
    order_id = captured[1]["id"]
    as_role(web, engine, Role.VIEWER)
    page = web.get(f"/orders/{order_id}")
    assert page.status_code == 200
    assert "JKT-RED-M" in page.text and "WH-KOELN × 1" in page.text
    assert "Latest: <strong>capture</strong>" in page.text and "<strong>chosen</strong>" in page.text
    assert "<strong>Captured</strong>" in page.text and "Not released to fulfilment yet." in page.text
    assert 'data-testid="actions"' not in page.text
    payload = web.get(f"/orders/{order_id}/payload")
    assert payload.status_code == 200 and "WEB-2" in payload.text and "Jonas Weber" in payload.text


def test_an_unknown_order_says_so_in_a_page(web, engine):
    as_role(web, engine, Role.OPS)
    answer = web.get("/orders/99999")
    assert answer.status_code == 404 and "no order 99999" in answer.text and "<nav" in answer.text


def test_roles_see_the_actions_they_may_take(web, engine, captured):
    order_page = f"/orders/{captured[0]['id']}"
    buttons = {}
    for role in (Role.OPS, Role.BACKOFFICE, Role.VIEWER):
        web.cookies.clear()
        as_role(web, engine, role)
        buttons[role] = re.findall(r'href="/orders/\d+/actions/([a-z-]+)"', web.get(order_page).text)
    assert buttons[Role.OPS] == ["hold", "edit-address", "reroute", "cancel"]
    assert buttons[Role.BACKOFFICE] == ["hold", "edit-address"]
    assert buttons[Role.VIEWER] == []


def test_an_order_whose_sla_alert_became_a_breach_stays_at_risk_until_resolved(web, engine, captured):
    first, second = captured
    with engine.begin() as conn:  # the SLA check resolves the at-risk alert when it raises the breach
        conn.execute(text("INSERT INTO alerts (kind, severity, dedupe_key, order_id, message, status, resolved_at) "
                          "VALUES ('ship_by_at_risk', 'warning', 'k1', :id, 'cut-off near', 'resolved', now())"),
                     {"id": first["id"]})  # fmt: skip
        conn.execute(text("INSERT INTO alerts (kind, severity, dedupe_key, order_id, message) "
                          "VALUES ('ship_by_breached', 'critical', 'k2', :id, 'cut-off passed')"), {"id": first["id"]})
        conn.execute(text("INSERT INTO alerts (kind, severity, dedupe_key, order_id, message, status, resolved_at) "
                          "VALUES ('deliver_by_breached', 'critical', 'k3', :id, 'late', 'resolved', now())"),
                     {"id": second["id"]})  # fmt: skip
    as_role(web, engine, Role.VIEWER)
    risky = web.get("/orders?at_risk=true")
    assert _ids(risky.text) == [first["id"]] and '<span class="badge risk">at risk</span>' in risky.text
    assert 'count-at-risk">1<' in web.get("/").text


def test_the_desks_reading_routing_see_each_shipments_quoted_and_charged_cost_and_a_channel_does_not(
    web, engine, api_headers
):
    colissimo = {"carrier": "Colissimo", "service": "standard", "breaks": [{"max_weight_kg": 50, "price": 7.0}]}
    with TestClient(create_app(engine)) as api:
        api.headers.update(api_headers)
        assert api.put("/api/v1/routing/rates", json={"cards": [colissimo]}).status_code == 200
        order, _ = shipped_order(api, engine)
        assert post(api, tracking_event("delivered", 24, charged_cost="7.45")).status_code == 201
    as_role(web, engine, Role.VIEWER)
    page = web.get(f"/orders/{order['id']}").text
    assert "<th>Quoted</th><th>Charged</th>" in page and "7.00 EUR" in page and "7.45 EUR" in page
    web.cookies.clear()
    as_role(web, engine, Role.CHANNEL, "web")
    page = web.get(f"/orders/{order['id']}").text
    assert "Nothing shipped yet." not in page and "<th>Quoted</th>" not in page and "7.45" not in page
