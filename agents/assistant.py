"""The ops assistant: a LangGraph graph of two nodes. `model` asks the chat model (or, with no LLM, the
command parser) for the next step; `act` runs the first tool call not yet answered. A read runs at once;
a write pauses the graph (`interrupt`) with the preview of what will change, and runs only if the person
approves that very preview. Each call is one step of its own, so a resumed graph never runs a write twice.

The graph acts as the person who asked (`AssistantContext.actor`): the model is offered the tools that
person's role may use, every call is checked again, and the services check once more."""

import datetime as dt
import json
from dataclasses import dataclass
from typing import Annotated, Literal, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agents.command_model import CommandModel
from agents.prompts import load_prompt
from agents.text_calls import Attempt, recognise
from agents.tool_base import ToolContext, ToolFailure
from agents.tools import execute, prepare, tools_for
from oms.services.actor import Actor
from oms.services.uow import UnitOfWork

MAX_TOOL_CALLS = 8  # per turn: small models loop on tools


class AssistantState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


@dataclass(frozen=True)
class AssistantContext:
    uow: UnitOfWork
    actor: Actor
    model: BaseChatModel | None = None  # None: command mode
    max_tool_calls: int = MAX_TOOL_CALLS


def call_model(state: AssistantState, runtime: Runtime[AssistantContext]) -> dict:
    ctx = runtime.context
    if _tool_calls_this_turn(state["messages"]) >= ctx.max_tool_calls:
        return {"messages": [AIMessage(f"I stopped after {ctx.max_tool_calls} tool calls without an answer. Ask"
                                       " again more precisely, e.g. with the order's number.")]}  # fmt: skip
    tools = tools_for(ctx.actor)
    model = (ctx.model or CommandModel()).bind_tools([tool.schema() for tool in tools])
    prompt = [SystemMessage(_system_prompt(ctx.actor)), *state["messages"]]
    response = model.invoke(prompt)
    if ctx.model is not None and not response.tool_calls:
        response = _read_text_calls(model, prompt, response, {tool.name for tool in tools})
    return {"messages": [response]}


def _read_text_calls(model, prompt: list, response: AIMessage, known: set[str]) -> AIMessage:
    """A call a small model wrote as JSON text becomes a tool call; a garbled one is asked for once more."""
    found = recognise(response.text, known)
    if isinstance(found, Attempt):
        retry = HumanMessage(f"Your tool call could not be read ({found.problem}). Call one of the tools with"
                             " a proper tool call, or answer in plain text.")  # fmt: skip
        response = model.invoke([*prompt, response, retry])
        found = None if response.tool_calls else recognise(response.text, known)
    if isinstance(found, list):
        return AIMessage("", tool_calls=found, id=response.id)
    return response


def act(state: AssistantState, runtime: Runtime[AssistantContext]) -> dict:
    call = _unanswered(state["messages"])[0]
    ctx = ToolContext(runtime.context.uow, runtime.context.actor)
    prepared = prepare(ctx, call["name"], call["args"])
    if isinstance(prepared, ToolFailure):
        return _answer(call, prepared)
    if prepared.preview is None:
        return _answer(call, execute(ctx, prepared))
    decision = interrupt({"tool_call_id": call["id"], "tool": call["name"], "arguments": prepared.arguments(),
                          "preview": prepared.preview})  # fmt: skip
    if not (isinstance(decision, dict) and decision.get("approved") is True):
        return _answer(call, ToolFailure("the person rejected this action: nothing was changed. Do not try it"
                                         " again unless they ask."))  # fmt: skip
    if decision.get("preview") != prepared.preview:  # the order moved on while the person was reading
        return _answer(call, ToolFailure(f"not done: what it would change is no longer what was approved (now:"
                                         f" {json.dumps(prepared.preview)}). Ask the person again."))  # fmt: skip
    return _answer(call, execute(ctx, prepared))


def route_model_output(state: AssistantState) -> Literal["act", "__end__"]:
    return "act" if _unanswered(state["messages"]) else END


def route_after_act(state: AssistantState) -> Literal["act", "model"]:
    return "act" if _unanswered(state["messages"]) else "model"


def _answer(call: dict, result) -> dict:
    if isinstance(result, ToolFailure):
        message = ToolMessage(result.message, tool_call_id=call["id"], name=call["name"], status="error")
    else:
        message = ToolMessage(json.dumps(result, default=str), tool_call_id=call["id"], name=call["name"])
    return {"messages": [message]}


def _unanswered(messages: list[AnyMessage]) -> list[dict]:
    """The tool calls of the latest model message that no tool message answers yet."""
    last_ai = next((m for m in reversed(messages) if isinstance(m, AIMessage)), None)
    if last_ai is None:
        return []
    answered = {m.tool_call_id for m in messages if isinstance(m, ToolMessage)}
    return [call for call in last_ai.tool_calls if call["id"] not in answered]


def _tool_calls_this_turn(messages: list[AnyMessage]) -> int:
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)
    return sum(isinstance(m, ToolMessage) for m in messages[start:])


def _system_prompt(actor: Actor) -> str:
    return load_prompt("assistant").format(person=actor.on_behalf_of or actor.name, role=actor.role.value,
                                           today=dt.date.today().isoformat())  # fmt: skip


def build_graph(checkpointer=None):
    builder = StateGraph(AssistantState, context_schema=AssistantContext)
    builder.add_node("model", call_model)
    builder.add_node("act", act)
    builder.add_edge(START, "model")
    builder.add_conditional_edges("model", route_model_output)
    builder.add_conditional_edges("act", route_after_act)
    return builder.compile(checkpointer=checkpointer, name="assistant")


graph = build_graph()  # for LangGraph Studio and Server (langgraph.json), which bring their own checkpointer
