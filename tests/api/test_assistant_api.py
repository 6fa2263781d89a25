"""The assistant over HTTP (command mode: no LLM in tests): threads of one's own, answers streamed as
server-sent events, an action waiting for approval until decided, and nothing done without it."""

import datetime as dt
import json
import time
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from oms.api import assistant_host
from oms.api.app import create_app
from oms.api.assistant_host import AssistantHost
from oms.services import assistant_threads
from oms.services.actor import Actor, Role
from oms.services.assistant_threads import claim_thread, create_thread
from oms.services.errors import Conflict
from oms.services.uow import UnitOfWork
from oms.settings import Settings
from tests.factories import api_key, order_body, set_stock


def events(response) -> list[tuple[str, dict]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["x-accel-buffering"] == "no"  # not held back by a proxy
    found = []
    for block in response.text.strip().split("\n\n"):
        name, data = block.split("\n")
        found.append((name.removeprefix("event: "), json.loads(data.removeprefix("data: "))))
    return found


@pytest.fixture
def order(client, engine) -> int:
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    return client.post("/api/v1/orders", json=order_body("WEB-1")).json()["id"]


def _thread(client) -> str:
    answer = client.post("/api/v1/assistant/threads")
    assert answer.status_code == 201
    return answer.json()["id"]


def _say(client, thread: str, content: str):
    return client.post(f"/api/v1/assistant/threads/{thread}/messages", json={"content": content})


def _decide(client, thread: str, approved: bool, action: str):
    return client.post(f"/api/v1/assistant/threads/{thread}/decision",
                       json={"approved": approved, "tool_call_id": action})  # fmt: skip


def _status(engine, order_id: int) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT status FROM orders WHERE id = :id"), {"id": order_id}).scalar_one()


def test_a_question_streams_the_tool_call_its_result_and_the_answer(client, order):
    thread = _thread(client)
    streamed = events(_say(client, thread, f"order {order}"))
    names = [name for name, _ in streamed]
    assert names[:2] == ["tool_call", "tool_result"] and names[-2:] == ["message", "done"]
    assert streamed[0][1] == {"name": "get_order", "args": {"order_id": order}}
    assert streamed[-2][1]["content"].startswith(f"Order {order} (web WEB-1)")
    detail = client.get(f"/api/v1/assistant/threads/{thread}").json()
    assert detail["thread"]["title"] == f"order {order}" and detail["mode"] == "no LLM configured: command mode"
    assert [m["role"] for m in detail["messages"]] == ["person", "assistant", "tool", "assistant"]
    assert detail["pending"] is None


def test_a_write_waits_for_the_decision_and_runs_as_the_person_who_asked(client, engine, order):
    thread = _thread(client)
    streamed = events(_say(client, thread, f"hold {order} check the address"))
    assert streamed[-2][0] == "pending" and streamed[-2][1]["tool"] == "hold_order"
    assert client.get(f"/api/v1/assistant/threads/{thread}").json()["pending"]["arguments"] == {
        "order_id": order, "reason": "check the address"}
    assert _status(engine, order) == "allocated"

    decided = events(_decide(client, thread, True, streamed[-2][1]["tool_call_id"]))
    assert decided[-2][1]["content"].startswith(f"Done. Order {order}")
    assert _status(engine, order) == "on_hold"
    with engine.connect() as conn:
        actor, behalf = conn.execute(text("SELECT actor, on_behalf_of FROM audit_events WHERE action = 'order.held'"
                                          )).one()  # fmt: skip
    assert (actor, behalf) == ("assistant", "test-ops-all")
    assert client.get(f"/api/v1/assistant/threads/{thread}").json()["pending"] is None


def test_a_rejected_action_changes_nothing_and_a_decision_with_nothing_pending_is_a_409(client, engine, order):
    thread = _thread(client)
    action = events(_say(client, thread, f"cancel {order}"))[-2][1]["tool_call_id"]
    rejected = events(_decide(client, thread, False, action))
    assert "rejected this action" in rejected[-2][1]["content"]
    assert _status(engine, order) == "allocated"
    again = _decide(client, thread, True, action)
    assert again.status_code == 409 and again.headers["content-type"] == "application/problem+json"
    assert _status(engine, order) == "allocated"
    assert events(_say(client, thread, "help"))[-1][0] == "done"  # the refused decision left the thread free


def test_a_viewer_cannot_act_through_the_assistant(client, engine, order):
    client.headers.update(api_key(engine, Role.VIEWER))
    thread = _thread(client)
    streamed = events(_say(client, thread, f"cancel {order}"))
    assert "pending" not in [name for name, _ in streamed]
    assert "may not order:cancel" in streamed[-2][1]["content"]
    assert _status(engine, order) == "allocated"


def test_threads_are_their_owners_alone_and_systems_have_none(client, engine):
    thread = _thread(client)
    client.headers.update(api_key(engine, Role.VIEWER))
    assert client.get(f"/api/v1/assistant/threads/{thread}").status_code == 404
    assert _say(client, thread, "help").status_code == 404
    assert thread not in [t["id"] for t in client.get("/api/v1/assistant/threads").json()]
    client.headers.update(api_key(engine, Role.CHANNEL, "web"))
    assert client.post("/api/v1/assistant/threads").status_code == 403


def test_a_bad_message_and_a_busy_thread_are_refused(client, engine):
    thread = _thread(client)
    empty = _say(client, thread, "   ")
    assert empty.status_code == 422 and empty.json()["errors"][0]["pointer"] == "/content"
    claim_thread(UnitOfWork(engine), Actor(name="test-ops-all", role=Role.OPS), thread)  # still answering one
    busy = _say(client, thread, "help")
    assert busy.status_code == 409 and "still answering" in busy.json()["detail"]


def test_an_action_waiting_for_approval_survives_a_restart(engine, order, client):
    thread = _thread(client)
    events(_say(client, thread, f"hold {order} fraud check"))
    with TestClient(create_app(engine)) as restarted:  # another process on the same database
        restarted.headers.update(api_key(engine, Role.OPS))
        pending = restarted.get(f"/api/v1/assistant/threads/{thread}").json()["pending"]
        assert pending["tool"] == "hold_order"
        events(_decide(restarted, thread, True, pending["tool_call_id"]))
    assert _status(engine, order) == "on_hold"


def test_the_schema_documents_the_stream_and_the_decision(client):
    paths = client.get("/openapi.json").json()["paths"]
    message = paths["/api/v1/assistant/threads/{thread_id}/messages"]["post"]
    assert "text/event-stream" in message["responses"]["200"]["content"]
    assert {"409", "422"} <= set(message["responses"])
    decision = paths["/api/v1/assistant/threads/{thread_id}/decision"]["post"]["requestBody"]["content"]
    assert "approved" in json.dumps(decision) or "DecisionIn" in json.dumps(decision)


def test_a_model_endpoint_that_does_not_answer_is_an_error_event_and_the_thread_stays_usable(client, engine):
    unreachable = Settings.model_validate({"OMS_LLM_BASE_URL": "http://127.0.0.1:9/v1", "OMS_LLM_MODEL": "m"})
    client.app.state.assistant = AssistantHost(engine, unreachable)
    thread = _thread(client)
    streamed = events(_say(client, thread, "which orders are late?"))
    assert streamed[-1][0] == "error" and "Connection" in streamed[-1][1]["detail"]
    assert _say(client, thread, "again?").status_code == 200  # not left busy


def test_a_decision_is_on_the_action_shown_and_counts_once(client, engine, order):
    thread = _thread(client)
    action = events(_say(client, thread, f"hold {order} check the address"))[-2][1]["tool_call_id"]
    unnamed = client.post(f"/api/v1/assistant/threads/{thread}/decision", json={"approved": True})
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["pointer"] == "/tool_call_id"
    assert _decide(client, thread, True, "call_of_another_card").status_code == 409
    assert _status(engine, order) == "allocated"  # neither ran it
    events(_decide(client, thread, True, action))
    assert _status(engine, order) == "on_hold"
    twice = _decide(client, thread, False, action)  # a second click on the card it answered
    assert twice.status_code == 409 and "decided already" in twice.json()["detail"]


def test_incomplete_llm_settings_are_an_error_event_and_open_one_checkpointer_pool(client, engine, order):
    no_model = Settings.model_validate({"OMS_LLM_BASE_URL": "http://127.0.0.1:9/v1"})
    client.app.state.assistant = host = AssistantHost(engine, no_model)
    thread = _thread(client)
    streamed = events(_say(client, thread, "which orders are late?"))
    assert streamed[-1][0] == "error" and "OMS_LLM_MODEL is not set" in streamed[-1][1]["detail"]
    pool = host._pool
    assert events(_say(client, thread, "again?"))[-1][0] == "error" and host._pool is pool  # none leaked
    assert client.get(f"/api/v1/assistant/threads/{thread}").status_code == 200
    host.close()


def test_a_turn_longer_than_the_lease_keeps_its_thread_until_it_ends(engine, monkeypatch):
    monkeypatch.setattr(assistant_threads, "LEASE", dt.timedelta(seconds=1))
    monkeypatch.setattr(assistant_host, "RENEW_EVERY_S", 0.0)
    person, uow = Actor(name="user:camille", role=Role.OPS), UnitOfWork(engine)
    thread = create_thread(uow, person).id
    claim_thread(uow, person, thread)

    def slow_turn():  # a slow local model: each step takes a while
        for _ in range(3):
            time.sleep(0.6)
            yield "token", {"text": "…"}

    host = AssistantHost(engine, Settings.model_validate({}))
    host._turns.acquire()  # as answer() does
    turn = host._freeing(uow, thread, slow_turn())
    next(turn), next(turn), next(turn)  # 1.8 s on, past the lease it was taken with
    with pytest.raises(Conflict):
        claim_thread(uow, person, thread)  # a second message (another tab, a retry) still waits
    assert list(turn) == []
    claim_thread(uow, person, thread)  # freed once the turn ended


def test_the_assistant_takes_a_share_of_the_api_threads_and_gives_each_back(client, engine, order):
    host = client.app.state.assistant = AssistantHost(engine, Settings.model_validate({"OMS_DB_POOL_SIZE": "4"}))
    first, second = _thread(client), _thread(client)
    person = Actor(name="test-ops-all", role=Role.OPS)
    answering = host.answer(UnitOfWork(engine), person, uuid.UUID(first), text=f"order {order}")
    busy = _say(client, second, "help")  # order capture keeps the other threads
    assert busy.status_code == 409 and "as many people as this server allows" in busy.json()["detail"]
    assert list(answering)[-1][0] == "done"
    refused = _decide(client, second, True, "call_none")  # a turn that cannot start gives its share back
    assert refused.status_code == 409 and events(_say(client, second, "help"))[-1][0] == "done"
    host.close()
