"""Acting on an order from its page: a confirmation, then the service; refusals become readable pages and
change nothing."""

import re

from sqlalchemy import text

from oms.services import order_actions
from oms.services.actor import Role
from oms.services.order_actions import OrderMovedOn
from oms.services.order_models import HoldCommand, ReasonCommand
from oms.services.uow import UnitOfWork
from tests.factories import OPS
from tests.returns_factories import shipped_order
from tests.web.conftest import as_role, csrf_of


def _reviewed(web, order_id: int, slug: str) -> dict:
    """The hidden fields of the action's confirmation page: the form token, the order's version and, for a
    return, the confirmation's one-time key."""
    page = web.get(f"/orders/{order_id}/actions/{slug}").text
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page))


def _post(web, order_id: int, slug: str, data: dict, token: str | None = None, reviewed: dict | None = None):
    hidden = (reviewed or _reviewed(web, order_id, slug)) | ({"csrf_token": token} if token else {})
    return web.post(f"/orders/{order_id}/actions/{slug}", data=hidden | data, follow_redirects=False)


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


def test_a_confirmation_of_an_order_that_moved_on_is_refused_and_shows_it_as_it_is_now(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    reviewed = _reviewed(web, order_id, "cancel")
    order_actions.hold(UnitOfWork(engine), OPS, order_id, HoldCommand(reason="fraud check"))  # meanwhile
    before = _state(engine, order_id)
    stale = _post(web, order_id, "cancel", {"reason": "customer asked"}, reviewed=reviewed)
    assert stale.status_code == 409 and "the order changed since you reviewed it" in stale.text
    assert "on hold</span>" in stale.text and _state(engine, order_id) == before
    assert f'name="version" value="{before[0][1]}"' in stale.text  # confirming this page again acts
    again = _post(web, order_id, "cancel", {"reason": "customer asked"}, reviewed=_reviewed(web, order_id, "cancel"))
    assert again.status_code == 303 and _state(engine, order_id)[0][0] == "cancelled"


def test_a_second_click_on_confirm_does_not_act_twice(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    reviewed = _reviewed(web, order_id, "hold")
    assert _post(web, order_id, "hold", {"reason": "first"}, reviewed=reviewed).status_code == 303
    before = _state(engine, order_id)
    again = _post(web, order_id, "hold", {"reason": "first"}, reviewed=reviewed)
    assert again.status_code == 409 and "changed since you reviewed it" in again.text
    assert _state(engine, order_id) == before


def test_the_services_refuse_a_version_that_moved_on_under_the_orders_lock(engine, captured):
    order_id, version = captured[0]["id"], captured[0]["version"]
    for act in (lambda v: order_actions.hold(UnitOfWork(engine), OPS, order_id, HoldCommand(reason="x"),
                                             expected_version=v),
                lambda v: order_actions.cancel(UnitOfWork(engine), OPS, order_id, ReasonCommand(),
                                               expected_version=v)):  # fmt: skip
        before = _state(engine, order_id)
        try:
            act(version - 1)
            raise AssertionError("acted on a version that moved on")
        except OrderMovedOn as error:
            assert error.status == 409 and f"is at version {version}, not {version - 1}" in error.detail
        assert _state(engine, order_id) == before


def test_a_double_click_on_confirm_authorises_one_return(web, engine):
    order_id = shipped_order(engine, delivered_days_ago=0)
    as_role(web, engine, Role.OPS)
    reviewed = _reviewed(web, order_id, "return")
    assert "confirmation" in reviewed
    form = {"quantity_1": "1", "reason_1": "too_small", "resolution": "refund"}
    answers = [_post(web, order_id, "return", form, reviewed=reviewed) for _ in range(2)]
    assert [a.status_code for a in answers] == [303, 303]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM returns")).scalar() == 1
    # A new review is a new confirmation: a second return of the other unit is one more.
    assert _post(web, order_id, "return", form).status_code == 303
    without_key = {k: v for k, v in _reviewed(web, order_id, "return").items() if k != "confirmation"}
    refused = _post(web, order_id, "return", form, reviewed=without_key)
    assert refused.status_code == 422 and "reload the page" in refused.text
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM returns")).scalar() == 2


def test_a_bad_address_is_refused_field_by_field_and_a_good_one_is_kept(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    address = {"name": "Camille Martin", "line1": "3 quai Saint-Vincent", "postal_code": "69001", "city": "Lyon"}
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
    assert bad_version.status_code == 409 and "changed since you reviewed it" in bad_version.text
    bad_quantity = _post(web, order_id, "return", {"quantity_1": "two", "reason_1": "damaged"})
    assert bad_quantity.status_code == 422 and "quantity" in bad_quantity.text
    assert _state(engine, order_id) == before
