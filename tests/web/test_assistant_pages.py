"""The assistant's chat page (command mode: no LLM in tests): a conversation, the action waiting for
approval as a card, approving and rejecting it; a viewer cannot act; systems have no page."""

import re
import uuid

from sqlalchemy import text

from oms.services.actor import Actor, Role
from oms.services.assistant_threads import claim_thread
from oms.services.uow import UnitOfWork
from tests.web.conftest import as_role, csrf_of


def _start(web) -> str:
    started = web.post("/assistant/threads", data={"csrf_token": csrf_of(web.get("/assistant").text)},
                       follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    return started.headers["location"]


def _say(web, page: str, content: str, htmx: bool = True):
    headers = {"HX-Request": "true"} if htmx else {}
    return web.post(f"{page}/messages", data={"csrf_token": csrf_of(web.get(page).text), "content": content},
                    headers=headers)  # fmt: skip


def _decide(web, page: str, approved: str, action: str | None = None):
    shown = web.get(page).text
    action = action or re.search(r'name="tool_call_id" value="([^"]+)"', shown).group(1)
    return web.post(f"{page}/decision", data={"csrf_token": csrf_of(shown), "approved": approved,
                                              "tool_call_id": action}, headers={"HX-Request": "true"})  # fmt: skip


def _status(engine, order_id: int) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT status FROM orders WHERE id = :id"), {"id": order_id}).scalar_one()


def test_an_empty_page_says_what_the_assistant_does_then_a_question_is_answered(web, engine, captured):
    as_role(web, engine, Role.OPS)
    empty = web.get("/assistant").text
    assert 'data-testid="no-threads"' in empty and 'href="/assistant"' in empty
    page = _start(web)
    answer = _say(web, page, f"order {captured[0]['id']}")
    assert answer.status_code == 200 and answer.text.startswith('<div id="conversation"')  # the fragment
    assert f"Order {captured[0]['id']} (web WEB-1)" in answer.text and "→ get order" in answer.text
    assert web.get("/assistant", follow_redirects=False).headers["location"] == page  # the latest thread


def test_a_hold_waits_on_a_card_until_approved(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    page = _start(web)
    card = _say(web, page, f"hold {order_id} check the address").text
    assert 'data-testid="pending"' in card and f"Put on hold: order {order_id}" in card
    assert "check the address" in card and _status(engine, order_id) != "on_hold"
    done = _decide(web, page, "yes").text
    assert "Done. Order" in done and 'data-testid="pending"' not in done
    assert _status(engine, order_id) == "on_hold"
    timeline = web.get(f"/orders/{order_id}").text
    assert re.search(r"assistant.{0,80}test-ops-all", timeline, re.DOTALL)  # who did it, on whose behalf


def test_a_rejected_card_changes_nothing(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    page = _start(web)
    status = _status(engine, order_id)
    _say(web, page, f"cancel {order_id}")
    assert "rejected this action" in _decide(web, page, "no").text
    assert _status(engine, order_id) == status


def test_a_viewer_is_told_it_may_not_and_nothing_changes(web, engine, captured):
    order_id = captured[0]["id"]
    status = _status(engine, order_id)
    as_role(web, engine, Role.VIEWER)
    page = _start(web)
    answer = _say(web, page, f"cancel {order_id}").text
    assert "may not order:cancel" in answer and 'data-testid="pending"' not in answer
    assert _status(engine, order_id) == status


def test_without_javascript_the_page_reloads_and_an_empty_message_says_what_to_do(web, engine, captured):
    as_role(web, engine, Role.OPS)
    page = _start(web)
    reloaded = _say(web, page, "help", htmx=False)
    assert reloaded.status_code == 200 and "atp TSH-BLU-L" in reloaded.text and "<html" in reloaded.text
    empty = _say(web, page, "   ")
    assert empty.status_code == 422 and "Type a question or a command first." in empty.text


def test_systems_have_no_assistant_and_one_persons_thread_is_not_anothers(web, engine, captured):
    as_role(web, engine, Role.OPS)
    page = _start(web)
    web.post("/sign-out", data={"csrf_token": csrf_of(web.get("/orders").text)})
    as_role(web, engine, Role.MANAGER)
    assert web.get(page).status_code == 404
    web.post("/sign-out", data={"csrf_token": csrf_of(web.get("/orders").text)})
    as_role(web, engine, Role.CHANNEL, "web")
    assert 'href="/assistant"' not in web.get("/orders").text
    assert web.get("/assistant").status_code == 403


def test_a_message_without_the_form_token_is_refused(web, engine, captured):
    as_role(web, engine, Role.OPS)
    page = _start(web)
    refused = web.post(f"{page}/messages", data={"csrf_token": "forged", "content": "help"})
    assert refused.status_code == 403
    assert 'class="person"' not in web.get(page).text  # no message was taken


def test_a_second_message_while_the_first_is_answered_is_a_readable_409(web, engine, captured):
    as_role(web, engine, Role.OPS)
    page = _start(web)
    claim_thread(UnitOfWork(engine), Actor(name="test-ops-all", role=Role.OPS), uuid.UUID(page.rsplit("/", 1)[1]))
    busy = _say(web, page, "help")
    assert busy.status_code == 409 and "still answering on this thread" in busy.text


def test_a_second_click_on_an_answered_card_or_a_garbled_decision_changes_nothing(web, engine, captured):
    order_id = captured[0]["id"]
    as_role(web, engine, Role.OPS)
    page = _start(web)
    card = _say(web, page, f"cancel {order_id}").text
    action = re.search(r'name="tool_call_id" value="([^"]+)"', card).group(1)
    garbled = web.post(f"{page}/decision", data={"csrf_token": csrf_of(card), "tool_call_id": action},
                       headers={"HX-Request": "true"})  # fmt: skip
    assert garbled.status_code == 422 and "Approve or Reject" in garbled.text and 'data-testid="pending"' in garbled.text
    assert "rejected this action" in _decide(web, page, "no", action).text
    again = _decide(web, page, "yes", action)
    assert again.status_code == 409 and "decided already" in again.text
    assert _status(engine, order_id) != "cancelled"
