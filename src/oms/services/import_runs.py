"""Bulk order imports run in the background, with their progress: queued here, run by the worker
(oms.services.import_run_job), read by the person who started them while they run and once they end.

`start_import_run` checks at once what needs no reading of the file (permission, channel, size) and
queues the run with the file and who asked; the file is released when the run ends (what was imported
is kept as its inbound payload). The same upload again while its run is open (a double click, a client
retrying) is answered with that run, and a person has at most MAX_OPEN_RUNS open at once: each holds its
file in the database, and the worker takes runs one after the other. A channel-role actor sees its
channel's runs only.
"""

import re

from sqlalchemy import text

from oms.services.actor import Actor, Permission
from oms.services.errors import ContentTooLarge, FieldError, NotFound, ServiceError, ValidationFailed
from oms.services.import_run_models import OPEN, ImportRunList, ImportRunSummary, ImportRunView
from oms.services.order_imports_models import MAX_FILE_BYTES, OrderImportCommand
from oms.services.uow import UnitOfWork

RECENT = 20
MAX_OPEN_RUNS = 3
_SUMMARY = """id, channel_id AS channel, file_name, sheet, skip_invalid, size_bytes, status, rows_done, rows_total,
              message, actor AS asked_by, on_behalf_of, created_at, started_at, finished_at"""
_QUEUE = text(
    """
    INSERT INTO import_runs (channel_id, file_name, sheet, skip_invalid, content, size_bytes, actor, actor_role,
                             actor_channel_id, on_behalf_of)
    SELECT id, :file_name, :sheet, :skip_invalid, :content, :size, :actor, :role, :actor_channel, :on_behalf_of
    FROM channels WHERE id = :channel
    RETURNING id
    """
)
# One person's uploads are queued one at a time, so that two at once cannot both pass the checks below.
_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended('oms.import_runs:' || :actor, 0))")
_OPEN_OF = text(
    f"""
    SELECT id, (channel_id = :channel AND sheet IS NOT DISTINCT FROM :sheet AND skip_invalid = :skip_invalid
                AND content = :content) AS same
    FROM import_runs WHERE actor = :actor AND {OPEN} ORDER BY id
    """
)
_CHANNELS = text(
    "SELECT id, name FROM channels WHERE CAST(:channel AS text) IS NULL OR id = :channel ORDER BY id"
)
_VIEW = text(f"SELECT {_SUMMARY}, report FROM import_runs WHERE id = :id")
_RECENT = text(
    f"""
    SELECT {_SUMMARY} FROM import_runs WHERE CAST(:channel AS text) IS NULL OR channel_id = :channel
    ORDER BY id DESC LIMIT :limit
    """
)


class TooManyOpenRuns(ServiceError):
    status, title, type_slug = 429, "Too many imports running", "too-many-import-runs"


def start_import_run(uow: UnitOfWork, actor: Actor, cmd: OrderImportCommand, file_name: str,
                     content: bytes) -> ImportRunView:  # fmt: skip
    """Queue the import of `content` (or answer the actor's open run of the same upload); refused at once
    (nothing stored) when the actor may not capture orders for the channel, the channel is unknown, the
    file is empty or too large, or the actor has MAX_OPEN_RUNS open already."""
    actor.require(Permission.ORDER_CAPTURE)
    actor.require_channel(cmd.channel)
    if len(content) > MAX_FILE_BYTES:
        raise ContentTooLarge(f"the file has {len(content):,} bytes; at most {MAX_FILE_BYTES:,} are imported")
    if not content:
        raise ValidationFailed([FieldError(("file",), "the file is empty: choose a CSV or XLSX file", "empty")])
    name = re.split(r"[\\/]", file_name)[-1].strip()[:255] or "upload"  # a browser may send a whole path
    params = {"channel": cmd.channel, "file_name": name, "sheet": cmd.sheet, "skip_invalid": cmd.skip_invalid,
              "content": content, "size": len(content), "actor": actor.name, "role": actor.role.value,
              "actor_channel": actor.channel_id, "on_behalf_of": actor.on_behalf_of}  # fmt: skip
    with uow:
        uow.conn.execute(_LOCK, {"actor": actor.name})
        same_upload = {k: params[k] for k in ("actor", "channel", "sheet", "skip_invalid", "content")}
        open_runs = uow.conn.execute(_OPEN_OF, same_upload).all()
        run_id = next((run.id for run in open_runs if run.same), None)
        if run_id is None:
            run_id = _queue(uow, actor, params, already_open=len(open_runs))
    return import_run_view(uow, actor, run_id)


def _queue(uow: UnitOfWork, actor: Actor, params: dict, already_open: int) -> int:
    if already_open >= MAX_OPEN_RUNS:
        raise TooManyOpenRuns(f"{already_open} of your imports are waiting or running, at most {MAX_OPEN_RUNS}:"
                              " start this one once one of them has ended")  # fmt: skip
    run_id = uow.conn.execute(_QUEUE, params).scalar()
    if run_id is None:
        raise ValidationFailed([FieldError(("channel",), f"no channel '{params['channel']}'", "unknown")])
    uow.record(actor, "order_import_run.queued", "import_run", run_id,
               after={"channel": params["channel"], "file_name": params["file_name"],
                      "size_bytes": params["size"]})  # fmt: skip
    uow.commit()
    return run_id


def import_run_view(uow: UnitOfWork, actor: Actor, run_id: int) -> ImportRunView:
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        row = uow.conn.execute(_VIEW, {"id": run_id}).mappings().first()
    if row is None or not actor.sees_channel(row["channel"]):
        raise NotFound(f"no import run {run_id}")
    return ImportRunView.model_validate(row)


def recent_import_runs(uow: UnitOfWork, actor: Actor, limit: int = RECENT) -> ImportRunList:
    """The most recent runs, of the actor's channel only for a channel-role actor."""
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        rows = uow.conn.execute(_RECENT, {"channel": actor.channel_id, "limit": limit}).mappings()
        return ImportRunList(items=[ImportRunSummary.model_validate(row) for row in rows])


def import_channels(uow: UnitOfWork, actor: Actor) -> list[tuple[str, str]]:
    """The channels (id, name) the actor may import orders for: a channel-role actor's own only."""
    actor.require(Permission.ORDER_CAPTURE)
    with uow.reading():
        rows = uow.conn.execute(_CHANNELS, {"channel": actor.channel_id}).all()
    return [(row.id, row.name) for row in rows]
