"""The assistant's "model" when no LLM is configured: a chat model that understands the terse commands of
agents.commands and nothing else. It answers exactly as a real model would (an AIMessage with tool calls,
then a text answer once the results are in), so the graph, the tools and the confirmation of writes are
the same with or without an LLM."""

import json
import uuid

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from agents.commands import Call, Unknown, follow_up, parse
from agents.replies import reply
from agents.tools import TOOLS


class CommandModel(BaseChatModel):
    @property
    def _llm_type(self) -> str:
        return "oms-commands"

    def bind_tools(self, tools, **kwargs) -> "CommandModel":
        return self  # it calls the tools its commands name; the graph checks each call anyway

    def _generate(self, messages: list[BaseMessage], stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=answer(messages))])


def answer(messages: list[BaseMessage]) -> AIMessage:
    """The next message of the turn that the last human message started."""
    start = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
    command, turn = messages[start].text, messages[start + 1:]
    first = parse(command)
    if isinstance(first, Unknown):
        return AIMessage(first.reply)
    calls = [m for m in turn if isinstance(m, AIMessage) and m.tool_calls]
    if not calls:
        return _calling(first)
    result = turn[-1]
    if not isinstance(result, ToolMessage) or result.status == "error":
        return AIMessage(result.text if isinstance(result, ToolMessage) else "Nothing more to do.")
    data = json.loads(result.text)
    following = follow_up(first, data) if len(calls) == 1 else None
    if following:
        return _calling(following)
    tool = calls[-1].tool_calls[-1]["name"]
    text = ("Done. " if TOOLS[tool].writes else "") + reply(tool, data)
    if first.then and len(calls) == 1:  # the reference found no order, or several: say which to pick
        text += f"\nGive the order's number, e.g. “{command.split()[0]} 1042”."
    return AIMessage(text)


def _calling(call: Call) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": call.tool, "args": call.args, "id": f"call_{uuid.uuid4().hex[:12]}"}])
