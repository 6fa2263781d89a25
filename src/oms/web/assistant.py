"""The assistant's chat page: one's threads, a conversation, and the action waiting for approval as a card
with Approve and Reject. A message posts with the page's form (htmx swaps the conversation in place; without
JavaScript the page reloads) and the answer is shown once the turn ends; the API streams it token by token
for clients that want that (POST /api/v1/assistant/threads/{id}/messages)."""

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from oms.services.assistant_threads import AssistantMessage, create_thread, get_thread, list_threads
from oms.services.errors import ServiceError
from oms.web.console import Console, ConsoleDep, ConsoleRoute, CsrfChecked, FormDep, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@router.get("/assistant")
def assistant_home(request: Request, console: ConsoleDep):
    threads = list_threads(console.uow, console.actor)
    if threads:
        return RedirectResponse(f"/assistant/{threads[0].id}", status_code=303)
    return render(request, "assistant.html", {"console": console, "threads": [], "thread": None,
                                              "mode": request.app.state.assistant.mode})  # fmt: skip


@router.post("/assistant/threads", dependencies=[CsrfChecked])
def start_thread(console: ConsoleDep):
    thread = create_thread(console.uow, console.actor)
    return RedirectResponse(f"/assistant/{thread.id}", status_code=303)


@router.get("/assistant/{thread_id}")
def conversation_page(request: Request, thread_id: uuid.UUID, console: ConsoleDep):
    return _conversation(request, console, thread_id)


@router.post("/assistant/{thread_id}/messages", dependencies=[CsrfChecked])
def send_message(request: Request, thread_id: uuid.UUID, console: ConsoleDep, form: FormDep):
    try:
        message = AssistantMessage(content=str(form.get("content") or ""))
    except ValidationError:
        return _conversation(request, console, thread_id, notice="Type a question or a command first.", status=422)
    return _answered(request, console, thread_id, text=message.content)


@router.post("/assistant/{thread_id}/decision", dependencies=[CsrfChecked])
def decide(request: Request, thread_id: uuid.UUID, console: ConsoleDep, form: FormDep):
    """The card's Approve or Reject, on the very action the card showed (a second click finds it decided)."""
    approved, action = form.get("approved"), str(form.get("tool_call_id") or "")
    if approved not in ("yes", "no") or not action:
        return _conversation(request, console, thread_id, notice="Approve or Reject the card below.", status=422)
    return _answered(request, console, thread_id, approved=approved == "yes", action=action)


def _answered(request: Request, console: Console, thread_id: uuid.UUID, **what):
    """Run the turn to its end; its errors (the model's endpoint down) are shown above the conversation."""
    try:
        events = list(request.app.state.assistant.answer(console.uow, console.actor, thread_id, **what))
    except ServiceError as refusal:
        return _conversation(request, console, thread_id, notice=refusal.detail, status=refusal.status)
    errors = [data["detail"] for name, data in events if name == "error"]
    if "HX-Request" not in request.headers:
        return RedirectResponse(f"/assistant/{thread_id}", status_code=303)
    notice = f"The assistant could not answer: {errors[0]}. Try again, or use a command (type help)." if errors else None
    return _conversation(request, console, thread_id, notice=notice)


def _conversation(request: Request, console: Console, thread_id: uuid.UUID, notice: str | None = None,
                  status: int = 200):  # fmt: skip
    host = request.app.state.assistant
    thread = get_thread(console.uow, console.actor, thread_id)
    messages, pending = host.view(str(thread_id))
    context = {"console": console, "thread": thread, "threads": list_threads(console.uow, console.actor),
               "mode": host.mode, "messages": messages, "pending": pending, "notice": notice}  # fmt: skip
    partial = "HX-Request" in request.headers and "HX-History-Restore-Request" not in request.headers
    return render(request, "assistant_conversation.html" if partial else "assistant.html", context, status)
