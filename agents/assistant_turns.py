"""One turn of the assistant as a stream of events for the API and the console: the model's words as they
come, each tool call and its result, the action waiting for approval, the final answer. Also a thread as
it stands (its messages and what waits for approval), and the resume of a decision.

Events (name, data): token {text}, tool_call {name, args}, tool_result {name, status, content},
message {content}, pending {tool_call_id, tool, arguments, preview}, error {detail}, done {}."""

from collections.abc import Iterator

from langchain_core.messages import AIMessage, AIMessageChunk, AnyMessage, HumanMessage, ToolMessage
from langgraph.types import Command

from agents.assistant import AssistantContext

MAX_SHOWN = 2000  # characters of a tool result shown in an event (the model gets all of it)


def _config(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}}


def ask(text: str) -> dict:
    return {"messages": [HumanMessage(text)]}


def pending_action(graph, thread_id: str) -> dict | None:
    """The action waiting for the person's approval on this thread, if any."""
    return _pending(graph.get_state(_config(thread_id)))


def _pending(state) -> dict | None:
    return state.interrupts[0].value if state.interrupts else None


def decide(graph, thread_id: str, approved: bool, action: str | None = None) -> Command | None:
    """The resume of the pending action: approval of the very preview shown; None when nothing waits, or
    when `action` (the `tool_call_id` the person was shown) is not the one waiting: a decision posted twice
    must not approve the next action of the same answer, which nobody has seen yet."""
    pending = pending_action(graph, thread_id)
    if pending is None or (action is not None and pending["tool_call_id"] != action):
        return None
    return Command(resume={"approved": approved, "preview": pending["preview"]})


def thread_view(graph, thread_id: str) -> tuple[list[dict], dict | None]:
    """The thread as the person sees it, from one read of its checkpoint: its messages, and the action
    waiting for approval, if any."""
    state = graph.get_state(_config(thread_id))
    return [_shown(m) for m in state.values.get("messages", [])], _pending(state)


def stream_turn(graph, context: AssistantContext, thread_id: str, payload) -> Iterator[tuple[str, dict]]:
    stream = graph.stream(payload, _config(thread_id), context=context, stream_mode=["messages", "updates"])
    for mode, chunk in stream:
        if mode == "messages":
            message, metadata = chunk
            if isinstance(message, AIMessageChunk) and metadata.get("langgraph_node") == "model" and message.text:
                yield "token", {"text": message.text}
            continue
        for node, update in chunk.items():
            if node == "__interrupt__":
                yield "pending", update[0].value
            else:
                yield from _update_events(update)
    yield "done", {}


def _update_events(update: dict | None) -> Iterator[tuple[str, dict]]:
    for message in (update or {}).get("messages", []):
        if isinstance(message, AIMessage) and message.tool_calls:
            for call in message.tool_calls:
                yield "tool_call", {"name": call["name"], "args": call["args"]}
        elif isinstance(message, AIMessage):
            yield "message", {"content": message.text}
        elif isinstance(message, ToolMessage):
            yield "tool_result", {"name": message.name, "status": message.status, "content": message.text[:MAX_SHOWN]}


def _shown(message: AnyMessage) -> dict:
    """A message as the person sees it in the thread."""
    if isinstance(message, HumanMessage):
        return {"role": "person", "content": message.text}
    if isinstance(message, ToolMessage):
        return {"role": "tool", "name": message.name, "status": message.status, "content": message.text[:MAX_SHOWN]}
    calls = [{"name": c["name"], "args": c["args"]} for c in getattr(message, "tool_calls", [])]
    return {"role": "assistant", "content": message.text, "tool_calls": calls}
