"""The assistant on a real model, when one is configured (OMS_LLM_BASE_URL and OMS_LLM_MODEL): it looks
an order up with a tool rather than guessing, and a write it proposes waits for approval. Skipped here:
there is no endpoint in CI."""

import os
import uuid

import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from agents.assistant import AssistantContext, build_graph
from agents.llm import chat_model
from oms.services.actor import Role
from oms.services.uow import UnitOfWork
from oms.settings import Settings
from tests.agents.conftest import assistant_for

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(not os.environ.get("OMS_LLM_BASE_URL"), reason="no LLM endpoint (OMS_LLM_BASE_URL)"),
]


def _ask(engine, checkpointer, message: str):
    context = AssistantContext(UnitOfWork(engine), assistant_for(Role.OPS), chat_model(Settings()))
    config = {"configurable": {"thread_id": str(uuid.uuid4())}}
    return build_graph(checkpointer).invoke({"messages": [HumanMessage(message)]}, config, context=context)


def test_a_real_model_looks_the_order_up(order, engine, checkpointer):
    state = _ask(engine, checkpointer, f"Where is order {order}? Which node ships it?")
    assert any(isinstance(m, ToolMessage) and m.name == "get_order" for m in state["messages"])
    assert "ST-PARIS" in state["messages"][-1].text


def test_a_real_models_hold_waits_for_approval(order, engine, checkpointer):
    state = _ask(engine, checkpointer, f"Put order {order} on hold: the customer asked us to wait.")
    (pending,) = state["__interrupt__"]
    assert pending.value["tool"] == "hold_order"
