"""Versioned routing documents (routing profiles, rate tables). Each save adds a row numbered one above
the last, and the highest number is the active version; rows are never changed, so what routed an order
last month, who changed it and why stay readable."""

import datetime as dt

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Connection, Row, Table, func, insert, select, text

from oms.services.actor import Actor
from oms.services.errors import Conflict, FieldError, NotFound
from oms.services.uow import UnitOfWork

MAX_VERSIONS = 500


class VersionMeta(BaseModel):
    version: int = Field(description="Numbered from 1; 0 is the built-in default, active until a first save")
    saved_by: str | None = None
    on_behalf_of: str | None = None
    saved_at: dt.datetime | None = None
    comment: str = ""


def meta(row: Row) -> dict:
    return {name: getattr(row, name) for name in VersionMeta.model_fields}


def active_row(conn: Connection, table: Table) -> Row | None:
    return conn.execute(select(table).order_by(table.c.version.desc()).limit(1)).first()


def version_row(conn: Connection, table: Table, version: int, label: str) -> Row:
    row = conn.execute(select(table).where(table.c.version == version)).first()
    if row is None:
        raise NotFound(f"no {label} version {version}")
    return row


def version_rows(conn: Connection, table: Table, limit: int, *columns) -> list[Row]:
    """The newest `limit` versions, newest first, with the metadata columns and `columns`."""
    meta = [table.c[c] for c in VersionMeta.model_fields]
    query = select(*meta, *columns).order_by(table.c.version.desc()).limit(min(max(limit, 1), MAX_VERSIONS))
    return conn.execute(query).all()


def next_version(uow: UnitOfWork, table: Table, base_version: int | None, label: str) -> tuple[int, int]:
    """(active version, version to save) with concurrent saves queued behind this one; 0 when none was
    saved. Refused when `base_version`, the version an edit started from, is no longer the active one."""
    # EXCLUSIVE lets readers through but queues writers, so two saves cannot pick the same number.
    uow.conn.execute(text(f"LOCK TABLE {table.name} IN EXCLUSIVE MODE"))
    current = uow.conn.execute(select(func.coalesce(func.max(table.c.version), 0))).scalar_one()
    if base_version is not None and base_version != current:
        raise Conflict(
            f"the {label} were edited from version {base_version}, but version {current} is active now;"
            " start again from the active version"
        )
    return current, current + 1


def insert_version(
    uow: UnitOfWork, table: Table, actor: Actor, version: int, comment: str, **document
) -> Row:
    values = {
        "version": version,
        "saved_by": actor.name,
        "on_behalf_of": actor.on_behalf_of,
        "comment": comment,
    }
    return uow.conn.execute(insert(table).values(values | document).returning(table)).one()


def pydantic_errors(exc: ValidationError, prefix: tuple = ()) -> list[FieldError]:
    return [FieldError(prefix + tuple(e["loc"]), e["msg"], e["type"]) for e in exc.errors()]
