"""The ops assistant: threads of one's own, a message answered as a stream of server-sent events, and the
decision on an action waiting for approval (streamed the same way)."""

import json
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.assistant_threads import (
    AssistantMessage,
    ThreadPublic,
    create_thread,
    get_thread,
    list_threads,
)
from oms.services.order_models import Command

router = APIRouter(prefix="/assistant", tags=["assistant"])
EVENTS = ("Server-sent events, each `event: <name>` and `data: <JSON>`: token {text} (the model's words as"
          " they come), tool_call {name, args}, tool_result {name, status, content}, message {content} (the"
          " answer), pending {tool_call_id, tool, arguments, preview} (an action waiting for approval: POST"
          " .../decision with its tool_call_id), error {detail}, done {}.")  # fmt: skip
STREAM = {200: {"content": {"text/event-stream": {"schema": {"type": "string"}}}, "description": EVENTS}}


class DecisionIn(Command):
    approved: bool = Field(description="true runs the pending action as previewed; false drops it")
    tool_call_id: str = Field(min_length=1, max_length=200, description="The pending action decided on (the"
                              " `tool_call_id` of its `pending` event): a decision posted twice is a 409, never"
                              " the approval of the action that came next")  # fmt: skip


class ThreadMessage(BaseModel):
    role: str = Field(description="person, assistant or tool")
    content: str
    name: str | None = Field(default=None, description="The tool that answered (role tool)")
    status: str | None = Field(default=None, description="success or error (role tool)")
    tool_calls: list[dict] = []


class ThreadDetail(BaseModel):
    thread: ThreadPublic
    mode: str = Field(description="The model that answers, or command mode without one")
    messages: list[ThreadMessage]
    pending: dict[str, Any] | None = Field(description="The action waiting for approval: tool, arguments, preview")


@router.post("/threads", status_code=201, responses=problem_responses(403))
def start_thread(actor: ActorDep, uow: UowDep) -> ThreadPublic:
    return create_thread(uow, actor)


@router.get("/threads", responses=problem_responses(403))
def my_threads(actor: ActorDep, uow: UowDep) -> list[ThreadPublic]:
    """Your threads, the latest first."""
    return list_threads(uow, actor)


@router.get("/threads/{thread_id}", responses=problem_responses(403, 404))
def read_thread(thread_id: uuid.UUID, request: Request, actor: ActorDep, uow: UowDep) -> ThreadDetail:
    thread = get_thread(uow, actor, thread_id)
    host = request.app.state.assistant
    messages, pending = host.view(str(thread_id))
    return ThreadDetail(thread=thread, mode=host.mode, messages=messages, pending=pending)


@router.post("/threads/{thread_id}/messages", response_class=StreamingResponse, responses=STREAM
             | problem_responses(403, 404, 409, 422))  # fmt: skip
def post_message(thread_id: uuid.UUID, body: AssistantMessage, request: Request, actor: ActorDep, uow: UowDep):
    """Ask the assistant; the answer streams back. 409 while it still answers an earlier message."""
    return _streamed(request.app.state.assistant.answer(uow, actor, thread_id, text=body.content))


@router.post("/threads/{thread_id}/decision", response_class=StreamingResponse, responses=STREAM
             | problem_responses(403, 404, 409, 422))  # fmt: skip
def post_decision(thread_id: uuid.UUID, body: DecisionIn, request: Request, actor: ActorDep, uow: UowDep):
    """Approve or reject the action waiting on this thread; the rest of the turn streams back. 409 when
    nothing waits, or while the assistant still answers."""
    return _streamed(request.app.state.assistant.answer(uow, actor, thread_id, approved=body.approved,
                                                        action=body.tool_call_id))  # fmt: skip


def _streamed(events: Iterator[tuple[str, dict]]) -> StreamingResponse:
    lines = (f"event: {name}\ndata: {json.dumps(data, default=str)}\n\n" for name, data in events)
    # A proxy must pass the events on as they come (nginx buffers a response unless told not to).
    return StreamingResponse(lines, media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})  # fmt: skip
