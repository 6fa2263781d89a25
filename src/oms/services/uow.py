"""Unit of work: one database transaction, plus the audit events and outbox messages it produces.

Usage: `with UnitOfWork(engine) as uow: ...; uow.commit()`. Leaving the block without commit() rolls
everything back, so a refused command leaves no partial state behind. Queries use `with uow.reading():`
instead: autocommit, which spares the BEGIN and ROLLBACK round trips on the hottest read paths; so can
a command that writes in one statement (`with uow.autocommit():`).
"""

import uuid
from typing import Self

from sqlalchemy import Connection, Engine, text

from oms.db.engine import dumps_json
from oms.services.actor import Actor

# Audit events and outbox messages of a command go in with one statement: one round trip, not two. The
# two CTEs can also ride on a command's own last statement (see `take_log`; order capture's does).
LOG_CTES = """
    logged_events AS (
      INSERT INTO audit_events (entity_type, entity_id, order_id, action, actor, actor_role, on_behalf_of,
                                before, after)
      SELECT * FROM jsonb_to_recordset(CAST(:events AS jsonb)) AS e(
        entity_type text, entity_id text, order_id bigint, action text, actor text, actor_role text,
        on_behalf_of text, before jsonb, after jsonb)),
    logged_messages AS (
      INSERT INTO outbox (event_id, event_type, payload)
      SELECT * FROM jsonb_to_recordset(CAST(:messages AS jsonb)) AS m(event_id uuid, event_type text,
                                                                      payload jsonb))
"""
_WRITE_LOG = text(f"WITH {LOG_CTES} SELECT 1")


class EventLog:
    """Audit events and outbox messages queued for a statement that writes them."""

    def __init__(self):
        self._events: list[dict] = []
        self._messages: list[dict] = []

    def record(
        self,
        actor: Actor,
        action: str,
        entity_type: str,
        entity_id: str | int,
        before: dict | None = None,
        after: dict | None = None,
        order_id: int | None = None,
        publish: str | None = None,
    ) -> None:
        """Queue an append-only audit event; `publish` also queues an outbox message of that type."""
        self._events.append(
            {
                "entity_type": entity_type,
                "entity_id": str(entity_id),
                "order_id": order_id,
                "action": action,
                "actor": actor.name,
                "actor_role": actor.role.value,
                "on_behalf_of": actor.on_behalf_of,
                "before": before,
                "after": after,
            }
        )
        if publish:
            payload = {"entity_type": entity_type, "entity_id": str(entity_id), "data": after or before}
            self._messages.append({"event_id": str(uuid.uuid4()), "event_type": publish, "payload": payload})

    def take_log(self) -> tuple[list[dict], list[dict]]:
        """The queued events and messages, for a statement that embeds `LOG_CTES` and writes them (with
        others' too); the queue is emptied."""
        taken = self._events, self._messages
        self._events, self._messages = [], []
        return taken


class UnitOfWork(EventLog):
    def __init__(self, engine: Engine):
        super().__init__()
        self.engine = engine
        self.conn: Connection
        self._autocommit = False

    def reading(self) -> "UnitOfWork":
        """Enter for queries only: each statement runs on its own, outside any transaction."""
        return self.autocommit()

    def autocommit(self) -> "UnitOfWork":
        """Enter to run each statement as its own transaction: for queries, and for a command whose
        writes are all one statement (which is atomic on its own)."""
        self._autocommit = True
        return self

    def __enter__(self) -> Self:
        self.conn = self.engine.connect()
        autocommit, self._autocommit = self._autocommit, False  # for this block only
        if autocommit:
            self.conn.execution_options(isolation_level="AUTOCOMMIT")
        else:
            self.conn.begin()
        self._events, self._messages = [], []
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self.conn.close()

    def commit(self) -> None:
        self.write_log()
        self.conn.commit()

    def write_log(self) -> None:
        """Write the queued audit events and outbox messages in the open transaction."""
        if self._events:
            events, messages = self.take_log()
            self.conn.execute(_WRITE_LOG, {"events": dumps_json(events), "messages": dumps_json(messages)})


class JoinedUnitOfWork(UnitOfWork):
    """A unit of work inside another's transaction: a service given it runs in that transaction, writes
    its audit events and outbox messages when it commits, and leaves the commit to the outer unit (so
    several services' changes land, or roll back, together)."""

    def __init__(self, outer: UnitOfWork):
        super().__init__(outer.engine)
        self.conn = outer.conn

    def __enter__(self) -> Self:
        self._autocommit = False
        self._events, self._messages = [], []
        return self

    def __exit__(self, *exc) -> None:
        pass  # the outer unit of work rolls back or commits, and closes

    def commit(self) -> None:
        self.write_log()
