"""The world each scenario plays in, on one database: built afresh for a scenario unless the previous one
left it exactly as built (no audit event, orders and alerts as they were), which spares most questions
a rebuild. And what the assistant's writes changed, read from the audit trail."""

from sqlalchemy import Engine, text

from evals.assistant.world import World, build_world, snapshot

Changed = tuple[str, int | str]  # ("order", id), ("alert", id), or another kind of entity and its id


class Stage:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._world: World | None = None
        self._built: tuple[dict, int] | None = None  # the snapshot and last audit event id as built

    def world(self) -> World:
        """The world as built, for the next scenario."""
        if self._world is None or self._built != (snapshot(self.engine), self.last_audit_id()):
            reset(self.engine)
            self._world = build_world(self.engine)
            self._built = (snapshot(self.engine), self.last_audit_id())
        return self._world

    def last_audit_id(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT coalesce(max(id), 0) FROM audit_events")).scalar_one()

    def changed_by(self, actor: str, since: int) -> set[Changed]:
        """What `actor`'s audited writes after event `since` changed: an alert, an order (or what belongs
        to it: a return, a fulfilment order), or anything else by its own kind and id."""
        query = text(
            "SELECT entity_type, entity_id, order_id FROM audit_events WHERE id > :since AND actor = :actor"
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query, {"since": since, "actor": actor}).all()
        return {_changed(r.entity_type, r.entity_id, r.order_id) for r in rows}


def reset(engine: Engine) -> None:
    """Empty every table of the OMS (the migrations' version apart)."""
    with engine.begin() as conn:
        tables = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                                   " AND tablename <> 'alembic_version'")).scalars().all()  # fmt: skip
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))


def _changed(entity_type: str, entity_id: str, order_id: int | None) -> Changed:
    if entity_type == "alert":
        return ("alert", int(entity_id))
    return ("order", order_id) if order_id else (entity_type, entity_id)
