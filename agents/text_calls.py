"""Tool calls written as text. Small local models (served by Ollama, vLLM or llama.cpp without a tool
parser) often answer with the call as JSON in the message, fenced or in <tool_call> tags, instead of a
structured call. `recognise` reads such calls to known tools; the graph validates them like any other.
Something that looks like a call but is not one to a known tool is an `Attempt`: the model is asked once
more to call it properly."""

import json
import re
import uuid
from dataclasses import dataclass

FENCED = re.compile(r"```(?:json|tool_call|tool)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)
TAGGED = re.compile(r"<tool_call>\s*(.*?)\s*</tool_call>", re.DOTALL | re.IGNORECASE)
NAME_KEYS = ("name", "tool", "tool_name", "function")
ARGUMENT_KEYS = ("arguments", "args", "parameters", "input")


@dataclass(frozen=True)
class Attempt:
    """What was wrong with a call written as text, for the model to try again."""

    problem: str


def recognise(text: str, known: set[str]) -> list[dict] | Attempt | None:
    """The tool calls written in `text` (LangChain's tool-call dicts), an Attempt, or None for prose."""
    blocks = TAGGED.findall(text) or FENCED.findall(text) or ([text] if text.lstrip().startswith("{") else [])
    calls, problems = [], []
    for block in blocks:
        try:
            data = json.loads(block)
        except json.JSONDecodeError:
            problems.append("a block is not valid JSON")
            continue
        for item in data if isinstance(data, list) else [data]:
            call = _call(item, known)
            (problems if isinstance(call, str) else calls).append(call)
    if calls and not problems:
        return calls
    if problems and (calls or _looks_like_a_call(text, known)):
        return Attempt("; ".join(problems))
    return None


def _call(item, known: set[str]) -> dict | str:
    if not isinstance(item, dict):
        return "a call must be a JSON object with a name and arguments"
    name = next((item[k] for k in NAME_KEYS if k in item), None)
    if isinstance(name, dict):  # OpenAI's shape: {"function": {"name": ..., "arguments": ...}}
        item, name = name, name.get("name")
    arguments = next((item[k] for k in ARGUMENT_KEYS if k in item), {})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError:
            return f"the arguments of '{name}' are not valid JSON"
    if name not in known:
        return f"there is no tool '{name}'"
    if not isinstance(arguments, dict):
        return f"the arguments of '{name}' must be a JSON object"
    return {"name": name, "args": arguments, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}


def _looks_like_a_call(text: str, known: set[str]) -> bool:
    return any(name in text for name in known) or '"arguments"' in text
