"""Unit of work: one database transaction, plus the audit events and outbox messages it produces.

Usage: `with UnitOfWork(engine) as uow: ...; uow.commit()`. Leaving the block without commit() rolls
everything back, so a refused command leaves no partial state behind.
"""

import uuid
from datetime import datetime

from sqlalchemy import Connection, Engine, insert

from oms.db.tables import audit_events, outbox
from oms.services.actor import Actor


class UnitOfWork:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.conn: Connection
        self._events: list[dict] = []
        self._messages: list[dict] = []

    def __enter__(self) -> "UnitOfWork":
        self.conn = self.engine.connect()
        self.conn.begin()
        self._events, self._messages = [], []
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.conn.in_transaction():
                self.conn.rollback()
        finally:
            self.conn.close()

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
            self._messages.append({"event_id": uuid.uuid4(), "event_type": publish, "payload": payload})

    def commit(self) -> None:
        if self._events:
            self.conn.execute(insert(audit_events), self._events)
        if self._messages:
            self.conn.execute(insert(outbox), self._messages)
        self.conn.commit()
        self._events, self._messages = [], []

    def now(self) -> datetime:
        """The transaction's clock, so every row of one command carries the same time."""
        return self.conn.exec_driver_sql("SELECT now()").scalar_one()
