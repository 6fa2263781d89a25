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
# The turns of a thread the model reads: the console keeps a person on their latest thread, which grows all
# day; the whole of it would outgrow a small local model's context (Ollama then drops the prompt's start).
TURNS_READ = 10


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
    used = _tool_calls_this_turn(state["messages"])
    if used >= ctx.max_tool_calls:
        return {"messages": [AIMessage(f"I stopped after {ctx.max_tool_calls} tool calls without an answer. Ask"
                                       " again more precisely, e.g. with the order's number.")]}  # fmt: skip
    tools = tools_for(ctx.actor)
    model = (ctx.model or CommandModel()).bind_tools([tool.schema() for tool in tools])
    prompt = [SystemMessage(_system_prompt(ctx.actor)), *_recent(_closed(state["messages"]))]
    response = model.invoke(prompt)
    if ctx.model is not None and not response.tool_calls:
        response = _read_text_calls(model, prompt, response, {tool.name for tool in tools})
    return {"messages": [_well_formed(response, ctx.max_tool_calls - used)]}


def _read_text_calls(model, prompt: list, response: AIMessage, known: set[str]) -> AIMessage:
    """A call a small model wrote as JSON text becomes a tool call; a garbled one (or a structured call whose
    arguments are not JSON) is asked for once more."""
    found = _garbled(response) or recognise(response.text, known)
    if isinstance(found, Attempt):
        retry = HumanMessage(f"Your tool call could not be read ({found.problem}). Call one of the tools with"
                             " a proper tool call, or answer in plain text.")  # fmt: skip
        response = model.invoke([*prompt, AIMessage(response.text), retry])
        found = None if response.tool_calls else recognise(response.text, known)
    if isinstance(found, list):
        return AIMessage("", tool_calls=found, id=response.id)
    return response


def _garbled(response: AIMessage) -> Attempt | None:
    if not response.invalid_tool_calls:
        return None
    return Attempt("; ".join(f"the arguments of '{call['name']}' are not valid JSON"
                             for call in response.invalid_tool_calls))  # fmt: skip


def _well_formed(response: AIMessage, budget: int) -> AIMessage:
    """The model's message as the graph keeps it: no call left that could not be read (sent back to the model
    later, it would be a call without an answer, which OpenAI-compatible servers refuse), and no more calls
    than the turn has left (the cap holds for many calls in one message too)."""
    if not response.invalid_tool_calls and len(response.tool_calls) <= budget:
        return response
    text = response.text or ("" if response.tool_calls else "I could not call a tool properly. Ask again, e.g."
                                                          " with the order's number.")  # fmt: skip
    return AIMessage(text, tool_calls=response.tool_calls[:budget], id=response.id)


def _closed(messages: list[AnyMessage]) -> list[AnyMessage]:
    """The thread as the model reads it: a call of an earlier turn that was never answered (the person wrote
    again instead of deciding, or the turn broke off) is answered there as not run, as chat APIs require."""
    closed: list[AnyMessage] = []
    for i, message in enumerate(messages):
        closed.append(message)
        if isinstance(message, AIMessage) and message.tool_calls and i + 1 < len(messages):
            answered = _answered_ids(messages[i + 1:])
            closed += [ToolMessage("not run: the turn ended before this call was decided or done.", status="error",
                                   tool_call_id=call["id"], name=call["name"])
                       for call in message.tool_calls if call["id"] not in answered]  # fmt: skip
    return closed


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


def _recent(messages: list[AnyMessage]) -> list[AnyMessage]:
    """The last TURNS_READ turns, each whole (a call is never read without its answer)."""
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    return messages[starts[-TURNS_READ]:] if len(starts) > TURNS_READ else messages


def _unanswered(messages: list[AnyMessage]) -> list[dict]:
    """The tool calls of the latest model message that no tool message after it answers yet (some servers
    number calls per message, so an id can come again in a later turn)."""
    last = next((i for i in range(len(messages) - 1, -1, -1) if isinstance(messages[i], AIMessage)), None)
    if last is None:
        return []
    answered = _answered_ids(messages[last + 1:])
    return [call for call in messages[last].tool_calls if call["id"] not in answered]


def _answered_ids(messages: list[AnyMessage]) -> set[str]:
    """The ids of the calls answered by the tool messages that follow a model message, up to the next one."""
    answered = set()
    for message in messages:
        if not isinstance(message, ToolMessage):
            break
        answered.add(message.tool_call_id)
    return answered


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
