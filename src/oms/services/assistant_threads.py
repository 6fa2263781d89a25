"""Conversations with the ops assistant: each thread is its owner's alone (another person's thread is not
found), and answers one message at a time (a lease while it answers; a second message meanwhile is a
409). The messages are in LangGraph's checkpoints; this module keeps who, what title, and when.

`assistant_actor` is who the assistant is while it answers: the person's own role, channel and node, under
the name "assistant" with the person as `on_behalf_of`, so the audit trail says who asked for what."""

import datetime as dt
import uuid
from typing import Annotated

from pydantic import BaseModel, StringConstraints
from sqlalchemy import text

from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.order_models import Command
from oms.services.uow import UnitOfWork

ASSISTANT_NAME = "assistant"
# Renewed as the turn goes (oms.api.assistant_host), so it covers the longest step between two events: a model
# call and its one retry, each up to the model's timeout times its 3 attempts (6 min), and the tools.
LEASE = dt.timedelta(minutes=10)
TITLE_LENGTH = 80
LIST_SIZE = 50


class AssistantMessage(Command):
    content: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class ThreadPublic(BaseModel):
    id: uuid.UUID
    title: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


_COLUMNS = "id, title, created_at, updated_at"
_CREATE = text(f"INSERT INTO assistant_threads (id, owner) VALUES (:id, :owner) RETURNING {_COLUMNS}")
_LIST = text(f"SELECT {_COLUMNS} FROM assistant_threads WHERE owner = :owner ORDER BY updated_at DESC LIMIT :n")
_GET = text(f"SELECT {_COLUMNS} FROM assistant_threads WHERE id = :id AND owner = :owner")
_CLAIM = text(
    f"""
    UPDATE assistant_threads SET busy_until = now() + :lease, updated_at = now(),
           title = coalesce(title, :title)
    WHERE id = :id AND owner = :owner AND (busy_until IS NULL OR busy_until < now())
    RETURNING {_COLUMNS}
    """
)
_RENEW = text("UPDATE assistant_threads SET busy_until = now() + :lease WHERE id = :id AND busy_until IS NOT NULL")
_RELEASE = text("UPDATE assistant_threads SET busy_until = NULL WHERE id = :id")


def assistant_actor(person: Actor) -> Actor:
    return Actor(name=ASSISTANT_NAME, role=person.role, on_behalf_of=person.name, channel_id=person.channel_id,
                 node_id=person.node_id)  # fmt: skip


def create_thread(uow: UnitOfWork, actor: Actor) -> ThreadPublic:
    actor.require(Permission.ASSISTANT)
    with uow:
        row = uow.conn.execute(_CREATE, {"id": uuid.uuid4(), "owner": actor.name}).one()
        uow.record(actor, "assistant.thread_started", "assistant_thread", str(row.id))
        uow.commit()
    return ThreadPublic.model_validate(row._mapping)


def list_threads(uow: UnitOfWork, actor: Actor) -> list[ThreadPublic]:
    actor.require(Permission.ASSISTANT)
    with uow.reading():
        rows = uow.conn.execute(_LIST, {"owner": actor.name, "n": LIST_SIZE}).all()
    return [ThreadPublic.model_validate(r._mapping) for r in rows]


def get_thread(uow: UnitOfWork, actor: Actor, thread_id: uuid.UUID) -> ThreadPublic:
    actor.require(Permission.ASSISTANT)
    with uow.reading():
        row = uow.conn.execute(_GET, {"id": thread_id, "owner": actor.name}).first()
    if row is None:
        raise NotFound(f"no assistant thread {thread_id} of yours")
    return ThreadPublic.model_validate(row._mapping)


def claim_thread(uow: UnitOfWork, actor: Actor, thread_id: uuid.UUID, message: str | None = None) -> ThreadPublic:
    """Take the thread to answer on it (its first message becomes its title); release_thread after."""
    get_thread(uow, actor, thread_id)
    title = message.strip()[:TITLE_LENGTH] if message else None
    with uow:
        row = uow.conn.execute(_CLAIM, {"id": thread_id, "owner": actor.name, "lease": LEASE, "title": title}).first()
        uow.commit()
    if row is None:
        raise Conflict("the assistant is still answering on this thread: wait for its answer, then send")
    return ThreadPublic.model_validate(row._mapping)


def renew_thread(uow: UnitOfWork, thread_id: uuid.UUID) -> None:
    """Keep the thread taken while its turn goes on: a long turn is not answered twice at once."""
    with uow:
        uow.conn.execute(_RENEW, {"id": thread_id, "lease": LEASE})
        uow.commit()


def release_thread(uow: UnitOfWork, thread_id: uuid.UUID) -> None:
    with uow:
        uow.conn.execute(_RELEASE, {"id": thread_id})
        uow.commit()
