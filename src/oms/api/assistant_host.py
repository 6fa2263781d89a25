"""The ops assistant as an API process hosts it: its graph on LangGraph's PostgreSQL checkpointer, the
chat model from the settings (or none: command mode), and a turn run for the person who asks, as a
stream of events (agents.assistant_turns). LangGraph is loaded and the checkpointer opened on first
use: a worker that never talks to the assistant carries neither."""

import logging
import threading
import time
import uuid
from collections.abc import Iterator

from sqlalchemy import Engine

from agents.llm import configured, describe
from oms.services.actor import Actor
from oms.services.assistant_threads import assistant_actor, claim_thread, release_thread, renew_thread
from oms.services.errors import Conflict
from oms.services.uow import UnitOfWork
from oms.settings import Settings

log = logging.getLogger(__name__)
RENEW_EVERY_S = 30.0  # the thread's lease, renewed at an event of the turn once this much time has passed
# A turn holds one of the API's threads while the model thinks (a minute, for a slow one), and the API has as
# many threads as database connections: the assistant may take a quarter of them, never all of order capture's.
TURNS_SHARE = 4


class AssistantHost:
    def __init__(self, engine: Engine, settings: Settings):
        self._engine, self._settings = engine, settings
        self._lock = threading.Lock()
        self._graph = self._pool = self._model = None
        self._turns = threading.BoundedSemaphore(max(1, settings.db_pool_size // TURNS_SHARE))
        self.mode = describe(settings)

    def _loaded(self):
        with self._lock:
            if self._graph is None:
                from agents.assistant import build_graph
                from agents.checkpoints import postgres_checkpointer

                conninfo = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
                saver, self._pool = postgres_checkpointer(conninfo)
                self._graph = build_graph(saver)
            return self._graph

    def _chat_model(self):
        """The model, built on the first turn; incomplete LLM settings fail that turn (an error event saying
        which variable to set), never the reading of a thread nor the checkpointer's pool."""
        with self._lock:
            if self._model is None:
                from agents.llm import chat_model

                self._model = chat_model(self._settings)
            return self._model

    def answer(self, uow: UnitOfWork, person: Actor, thread_id: uuid.UUID, text: str | None = None,
               approved: bool | None = None, action: str | None = None) -> Iterator[tuple[str, dict]]:  # fmt: skip
        """Take the thread (404 if not the person's, 409 while it answers) and start the turn: a message
        (`text`) or the decision on the pending action (`approved`, on `action`, its tool_call_id; 409 when
        that action is not the one waiting). The events follow as the turn runs; the thread is freed when
        they end, or at once if the turn cannot start."""
        from agents.assistant_turns import ask, decide

        if not self._turns.acquire(blocking=False):
            raise Conflict("the assistant is answering as many people as this server allows: send again in a moment")
        claimed = False
        try:
            claim_thread(uow, person, thread_id, text)
            claimed = True
            graph = self._loaded()
            payload = ask(text) if text is not None else decide(graph, str(thread_id), bool(approved), action)
            if payload is None:
                raise Conflict("no such action is waiting for approval on this thread (decided already?)")
        except Exception:
            if claimed:
                release_thread(uow, thread_id)
            self._turns.release()
            raise
        return self._freeing(uow, thread_id, self._turn(graph, person, str(thread_id), payload))

    def _turn(self, graph, person: Actor, thread_id: str, payload) -> Iterator[tuple[str, dict]]:
        from agents.assistant import AssistantContext
        from agents.assistant_turns import stream_turn

        model = self._chat_model() if configured(self._settings) else None
        context = AssistantContext(UnitOfWork(self._engine), assistant_actor(person), model)
        yield from stream_turn(graph, context, thread_id, payload)

    def _freeing(self, uow: UnitOfWork, thread_id: uuid.UUID, turn) -> Iterator[tuple[str, dict]]:
        renewed = time.monotonic()
        try:
            for event in turn:
                if time.monotonic() - renewed > RENEW_EVERY_S:  # the turn goes on: keep the thread
                    renew_thread(uow, thread_id)
                    renewed = time.monotonic()
                yield event
        except Exception as error:  # the model's endpoint down, a timeout: say so; the thread stays usable
            log.exception("assistant turn failed on thread %s", thread_id)
            yield "error", {"detail": f"{type(error).__name__}: {error}"}
        finally:
            try:
                release_thread(uow, thread_id)
            finally:
                self._turns.release()

    def view(self, thread_id: str) -> tuple[list[dict], dict | None]:
        """The thread's messages, and the action waiting for approval (agents.assistant_turns.thread_view)."""
        from agents.assistant_turns import thread_view

        return thread_view(self._loaded(), thread_id)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
