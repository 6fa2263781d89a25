"""Acting on an order from its page: a confirmation, then the service; refusals become readable pages and
change nothing."""

from sqlalchemy import text

from oms.services.actor import Role
from tests.web.conftest import as_role, csrf_of


def _post(web, order_id: int, slug: str, data: dict, token: str | None = None):
    token = token or csrf_of(web.get(f"/orders/{order_id}/actions/{slug}").text)
    return web.post(f"/orders/{order_id}/actions/{slug}", data=data | {"csrf_token": token}, follow_redirects=False)


def _state(engine, order_id: int) -> tuple:
    with engine.connect() as conn:
        status = conn.execute(text("SELECT status, version FROM orders WHERE id = :id"), {"id": order_id}).one()
        events = conn.execute(text("SELECT count(*) FROM audit_events WHERE order_id = :id"), {"id": order_id})
        return tuple(status), events.scalar()


def test_ops_holds_and_releases_an_order_and_the_timeline_tells_who(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    confirm = web.get(f"/orders/{order_id}/actions/hold")
    assert "Put on hold: order" in confirm.text and "Confirm: put on hold" in confirm.text
    held = _post(web, order_id, "hold", {"type": "payment_review", "reason": "card declined"})
    assert held.status_code == 303 and held.headers["location"] == f"/orders/{order_id}?done=hold"
    assert _state(engine, order_id)[0][0] == "on_hold"
    assert _post(web, order_id, "release-hold", {"reason": ""}).status_code == 303
    page = web.get(f"/orders/{order_id}?done=release-hold")
    assert "The hold is released." in page.text and "reason: card declined" in page.text
    assert "<strong>Put on hold</strong>\n      by test-ops-all (ops)" in page.text
    assert "<strong>Hold released</strong>\n      by test-ops-all (ops)" in page.text


def test_a_post_without_the_session_token_changes_nothing(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    before = _state(engine, order_id)
    for token in ("", "forged-token"):
        answer = _post(web, order_id, "hold", {"reason": "x"}, token=token or None) if token else web.post(
            f"/orders/{order_id}/actions/hold", data={"reason": "x"}, follow_redirects=False)
        assert answer.status_code == 403 and "reload the page" in answer.text
    assert _state(engine, order_id) == before


def test_a_viewer_is_refused_by_the_service_even_with_a_valid_form(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.VIEWER)
    before = _state(engine, order_id)
    token = csrf_of(web.get(f"/orders/{order_id}").text)
    answer = _post(web, order_id, "cancel", {"reason": "x"}, token=token)
    assert answer.status_code == 403 and "may not order:cancel" in answer.text
    assert _state(engine, order_id) == before


def test_an_action_the_order_no_longer_allows_is_a_readable_409(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    stale = csrf_of(web.get(f"/orders/{order_id}/actions/hold").text)
    _post(web, order_id, "hold", {"reason": "first"}, token=stale)
    before = _state(engine, order_id)
    again = _post(web, order_id, "hold", {"reason": "second"}, token=stale)  # the page shown before the hold
    assert again.status_code == 409 and "cannot hold an order that is on_hold" in again.text
    assert "reload it and check" in again.text and _state(engine, order_id) == before


def test_a_bad_address_is_refused_field_by_field_and_a_good_one_is_kept(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    address = {"name": "Camille Martin", "line1": "3 quai Saint-Vincent", "postal_code": "69001", "city": "Lyon",
               "version": "1"}
    before = _state(engine, order_id)
    bad = _post(web, order_id, "edit-address", address | {"country": "XX"})
    assert bad.status_code == 422 and "country: Value error, &#39;XX&#39; is not an ISO 3166-1" in bad.text and "3 quai Saint-Vincent" in bad.text
    assert _state(engine, order_id) == before
    assert _post(web, order_id, "edit-address", address | {"country": "FR"}).status_code == 303
    assert "3 quai Saint-Vincent" in web.get(f"/orders/{order_id}").text


def test_cancel_and_reroute_go_through_their_services(web, engine, captured):
    first, second = captured
    as_role(web, engine, Role.OPS)
    refused = _post(web, second["id"], "reroute", {"note": "Köln is slow", "exclude_nodes": "WH-KOELN"})
    assert refused.status_code == 409 and "Not done:" in refused.text  # no other node has the jacket
    assert _post(web, first["id"], "cancel", {"reason": "customer asked"}).status_code == 303
    assert _state(engine, first["id"])[0][0] == "cancelled"
    assert f'href="/orders/{first["id"]}/actions/' not in web.get(f"/orders/{first['id']}").text


def test_an_unknown_action_is_a_404_page(web, engine, captured):
    as_role(web, engine, Role.OPS)
    assert web.get(f"/orders/{captured[0]['id']}/actions/teleport").status_code == 404


def test_a_number_that_is_not_one_is_a_readable_422_and_changes_nothing(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    address = {"name": "Camille Martin", "line1": "3 quai Saint-Vincent", "postal_code": "69001", "city": "Lyon",
               "country": "FR"}
    before = _state(engine, order_id)
    bad_version = _post(web, order_id, "edit-address", address | {"version": "one"})
    assert bad_version.status_code == 422 and "expected_version" in bad_version.text
    bad_quantity = _post(web, order_id, "return", {"quantity_1": "two", "reason_1": "damaged"})
    assert bad_quantity.status_code == 422 and "quantity" in bad_quantity.text
    assert _state(engine, order_id) == before
