"""Audited batch upserts of reference data (products, nodes, stock positions).

Each batch is one INSERT .. ON CONFLICT DO UPDATE statement. Rows are written in key order, and the rows
already there are locked first (SELECT .. FOR UPDATE, same order), so concurrent imports and stock
reservations queue on each row instead of deadlocking, and the audit event carries the true before image.
Only columns the command carries are updated: a stock position keeps its `reserved` quantity.
"""

from collections.abc import Callable, Hashable, Sequence

from sqlalchemy import Table, func, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from oms.services.actor import Actor
from oms.services.errors import FieldError
from oms.services.uow import UnitOfWork

BATCH_SIZE = 1000

Progress = Callable[[int], None]


def duplicate_errors(keys: Sequence[Hashable | None], field: str, label: str) -> list[FieldError]:
    """One error per item whose key an earlier item already has (None keys are skipped): one statement
    cannot write a row twice, and two rows cannot share a unique value."""
    seen: set[Hashable] = set()
    errors = []
    for index, key in enumerate(keys):
        if key is not None and key in seen:
            errors.append(FieldError((index, field), f"{label} {key!r} is given more than once", "duplicate"))
        seen.add(key)
    return errors


def without_index(errors: list[FieldError]) -> list[FieldError]:
    """Errors of a one-item batch, re-pointed at the single command's own fields."""
    return [FieldError(e.path[1:], e.message, e.code) for e in errors]


def upsert_audited(
    uow: UnitOfWork,
    actor: Actor,
    table: Table,
    rows: list[dict],
    entity_type: str,
    publish: str | None = None,
    progress: Progress | None = None,
) -> int:
    """Write `rows` (dicts of equal keys) and audit each row that was created or changed; unchanged rows
    are left alone. Returns how many rows were created or changed."""
    key = [c.name for c in table.primary_key.columns]
    changed = 0
    rows = sorted(rows, key=lambda r: tuple(r[k] for k in key))
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        before = _lock_existing(uow, table, key, batch)
        # An executemany of INSERT .. RETURNING: SQLAlchemy sends each batch as one multi-row statement.
        for after in uow.conn.execute(_upsert(table, key, list(batch[0])), batch).mappings():
            entity_key = tuple(after[k] for k in key)
            old = before.get(entity_key)
            action = f"{entity_type}.{'updated' if old else 'created'}"
            entity_id = "/".join(map(str, entity_key))
            uow.record(
                actor, action, entity_type, entity_id, before=old, after=_plain(after), publish=publish
            )
            changed += 1
        if progress:
            progress(len(batch))
    return changed


def _lock_existing(uow: UnitOfWork, table: Table, key: list[str], batch: list[dict]) -> dict[tuple, dict]:
    columns = [table.c[k] for k in key]
    wanted = [tuple(r[k] for k in key) for r in batch]
    query = select(table).where(tuple_(*columns).in_(wanted)).order_by(*columns).with_for_update()
    return {tuple(r[k] for k in key): _plain(r) for r in uow.conn.execute(query).mappings()}


def _plain(row) -> dict:
    # Column names are str subclasses (quoted_name), which the JSON encoder refuses as keys. A search
    # vector (oms.services.order_entry_embeddings) is derived, no fact of the entity: not audited or sent.
    return {str(name): value for name, value in row.items() if name != "embedding"}


def _upsert(table: Table, key: list[str], columns: list[str]):
    stmt = insert(table)
    fields = [c for c in columns if c not in key]
    updates = {c: stmt.excluded[c] for c in fields}
    if "updated_at" in table.c:
        updates["updated_at"] = func.now()
    # The WHERE skips rows whose values are already those: no write, no audit event, no webhook.
    changed = tuple_(*(table.c[c] for c in fields)).is_distinct_from(
        tuple_(*(stmt.excluded[c] for c in fields))
    )
    return stmt.on_conflict_do_update(index_elements=key, set_=updates, where=changed).returning(*table.c)
