"""The assistant without an LLM: terse commands run the same tools through the same graph, writes wait
for the same approval, and the answers are plain text from the tools' results."""

import uuid

from fastapi.testclient import TestClient
from langchain_core.messages import HumanMessage
from langgraph.types import Command
from sqlalchemy import text

from agents.assistant import AssistantContext, build_graph
from agents.commands import Call, Unknown, parse
from oms.api.app import create_app
from oms.domain.alerts import AlertKind
from oms.services.actor import Role
from oms.services.uow import UnitOfWork
from tests.agents.conftest import assistant_for
from tests.api.test_alerts import raise_one
from tests.factories import add_network, api_key
from tests.tracking_factories import post, shipped_order, tracking_event


def _say(graph, engine, message=None, role=Role.OPS, thread=None, resume=None):
    config = {"configurable": {"thread_id": thread or str(uuid.uuid4())}}
    context = AssistantContext(UnitOfWork(engine), assistant_for(role))
    payload = Command(resume=resume) if resume is not None else {"messages": [HumanMessage(message)]}
    state = graph.invoke(payload, config, context=context)
    return state, config["configurable"]["thread_id"]


def _status(engine, order_id: int) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT status FROM orders WHERE id = :id"), {"id": order_id}).scalar_one()


def test_an_order_by_number_or_by_reference(order, engine, checkpointer):
    graph = build_graph(checkpointer)
    by_number, _ = _say(graph, engine, f"order {order}")
    answer = by_number["messages"][-1].content
    assert answer.startswith(f"Order {order} (web WEB-1)") and "1 at ST-PARIS" in answer
    by_reference, _ = _say(graph, engine, "order WEB-1")
    assert by_reference["messages"][-1].content == answer


def test_atp_in_a_country(order, engine, checkpointer):
    state, _ = _say(build_graph(checkpointer), engine, "atp TSH-BLU-L FR")
    answer = state["messages"][-1].content
    assert answer.startswith("TSH-BLU-L in FR: 11 can be sold.") and "WH-KOELN" not in answer


def test_hold_asks_for_approval_then_says_it_is_done(order, engine, checkpointer):
    graph = build_graph(checkpointer)
    state, thread = _say(graph, engine, f"hold {order} address to check")
    (pending,) = state["__interrupt__"]
    assert pending.value["preview"]["summary"].startswith(f"Put on hold: order {order}")
    assert _status(engine, order) == "allocated"
    state, _ = _say(graph, engine, thread=thread, resume={"approved": True, "preview": pending.value["preview"]})
    assert state["messages"][-1].content.startswith(f"Done. Order {order} (web WEB-1), Camille Martin: on_hold")
    assert _status(engine, order) == "on_hold"


def test_a_viewer_is_told_the_role_may_not_and_nothing_changes(order, engine, checkpointer):
    state, _ = _say(build_graph(checkpointer), engine, f"cancel {order}", role=Role.VIEWER)
    assert "__interrupt__" not in state and _status(engine, order) == "allocated"
    assert "may not order:cancel" in state["messages"][-1].content


def test_a_free_form_question_says_an_llm_is_needed(network, engine, checkpointer):
    state, _ = _say(build_graph(checkpointer), engine, "which orders worry you today?")
    assert "free-form questions need an LLM endpoint" in state["messages"][-1].content


def test_each_read_answers_in_plain_text_from_the_real_results(engine, checkpointer):
    add_network(engine)
    with TestClient(create_app(engine)) as client:
        client.headers.update(api_key(engine, Role.OPS))
        order, _ = shipped_order(client, engine, tracking="6A1")
        assert post(client, tracking_event("in_transit", 3, tracking="6A1", location="Lyon hub")).status_code < 300
    raise_one(engine, AlertKind.SHIP_BY_AT_RISK, 1)
    graph = build_graph(checkpointer)

    def answer(command: str) -> str:
        return _say(graph, engine, command)[0]["messages"][-1].content

    assert answer(f"track {order['id']}").startswith("Parcel Colissimo 6A1 from WH-LYON: in_transit, last scan"
                                                     " in_transit at Lyon hub")  # fmt: skip
    assert answer("track WEB-1") == answer(f"track {order['id']}")
    assert answer(f"why {order['id']}").startswith("Strategy ")
    assert "WH-LYON ships 1 x TSH-BLU-L" in answer(f"why {order['id']}")
    assert "ship_by_at_risk" in answer("alerts")
    assert answer("sla 30").startswith("SLA from ")
    promise = answer("promise TSH-BLU-L 1 75001 FR")
    assert "standard: delivered 20" in promise and "express" in promise
    assert answer("find nobody-at-all") == "No order matches."


def test_numbers_out_of_reach_are_read_as_words_never_as_a_crash():
    assert parse("sla 99999999") == parse("sla")  # no date before year 1
    assert parse("sla ²").tool == "sla_report"
    assert parse("cancel 5 line ²") == Call("cancel_order", {"order_id": 5, "reason": "line ²"})
    assert isinstance(parse("promise TSH-BLU-L ² 75001 FR"), Unknown)
