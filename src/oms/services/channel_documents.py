"""Documents the OMS owes a channel: EDI 855 acknowledgements and 856 ship notices, marketplace
acknowledgements of accepted and refused lines.

An adapter queues a document (`queue_document`) in the transaction of what it reports, once per (kind,
subject): queuing it again does nothing, so a generator may run as often as it likes. How it then
reaches the channel is the channel's integration's transport (oms.services.channel_integrations):
- http: the worker POSTs it, signed as outbound webhooks are with the integration's secret
  (`OMS-Event-Type` is the document's kind, `OMS-Event-Id` is `channel-document-<id>`), retrying with
  backoff until a 2xx, which also acknowledges it;
- file: the worker drops it into the integration's directory (oms.wms.transports.drop);
- pull: the channel lists what it has not acknowledged yet, fetches each, and acknowledges it.
"""

import datetime as dt
import logging
import random

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine, text

from oms.domain.webhook_retry import RetryPolicy, retry_delay
from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.leases import claim_attempt
from oms.services.uow import UnitOfWork
from oms.wms import transports

LEASE_SECONDS = 60
BATCH = 20
RETRY = RetryPolicy(base_s=30.0, cap_s=3600.0)
EXTENSIONS = {"application/edi-x12": "x12", "application/json": "json", "text/csv": "csv"}
log = logging.getLogger(__name__)


class ChannelDocumentSummary(BaseModel):
    id: int
    channel_id: str
    kind: str
    subject: str = Field(description="What it is about, e.g. order:1001 or shipment:7")
    order_id: int | None
    content_type: str
    created_at: dt.datetime
    attempts: int
    last_error: str | None
    sent_at: dt.datetime | None
    acknowledged_at: dt.datetime | None


class ChannelDocument(ChannelDocumentSummary):
    body: bytes


_QUEUE = text(
    """
    INSERT INTO channel_documents (channel_id, kind, subject, order_id, content_type, body, next_attempt_at)
    SELECT :channel, :kind, :subject, :order_id, :content_type, :body,
           CASE WHEN i.transport IN ('http', 'file') THEN now() END
    FROM (SELECT (SELECT transport FROM channel_integrations WHERE channel_id = :channel) AS transport) AS i
    ON CONFLICT ON CONSTRAINT uq_channel_documents_subject DO NOTHING
    RETURNING id
    """
)
_COLUMNS = """id, channel_id, kind, subject, order_id, content_type, created_at, attempts, last_error, sent_at,
              acknowledged_at"""
_LIST = text(
    f"""
    SELECT {_COLUMNS} FROM channel_documents
    WHERE channel_id = :channel AND (NOT :pending OR acknowledged_at IS NULL)
      AND (CAST(:kind AS text) IS NULL OR kind = :kind) AND (CAST(:after AS bigint) IS NULL OR id > :after)
    ORDER BY id LIMIT :limit
    """
)
_GET = text(f"SELECT {_COLUMNS}, body FROM channel_documents WHERE id = :id AND channel_id = :channel")
_ACKNOWLEDGE = text(
    """
    UPDATE channel_documents SET acknowledged_at = coalesce(acknowledged_at, now()), next_attempt_at = NULL
    WHERE id = :id AND channel_id = :channel RETURNING id
    """
)
_CLAIM = claim_attempt("channel_documents")
_TO_SEND = text(
    """
    SELECT d.id, d.kind, d.content_type, d.body, i.transport, i.endpoint_url, i.secret, i.drop_dir
    FROM channel_documents d LEFT JOIN channel_integrations i ON i.channel_id = d.channel_id
    WHERE d.id = :id
    """
)
_SENT = text(
    """
    UPDATE channel_documents SET sent_at = coalesce(sent_at, now()), next_attempt_at = NULL, last_error = NULL,
      acknowledged_at = CASE WHEN :acknowledged THEN coalesce(acknowledged_at, now()) ELSE acknowledged_at END
    WHERE id = :id
    """
)
_FAILED = text(
    """
    UPDATE channel_documents SET last_error = :error, next_attempt_at = now() + make_interval(secs => :wait)
    WHERE id = :id AND next_attempt_at IS NOT NULL
    """
)
_NOTHING_TO_SEND = text("UPDATE channel_documents SET next_attempt_at = NULL WHERE id = :id")


def queue_document(conn: Connection, channel_id: str, kind: str, subject: str, content_type: str, body: bytes,
                   order_id: int | None = None) -> int | None:  # fmt: skip
    """Queue a document in the caller's transaction; its id, or None when one of this kind and subject
    was queued before (a document is owed once)."""
    params = {"channel": channel_id, "kind": kind, "subject": subject, "order_id": order_id,
              "content_type": content_type, "body": body}  # fmt: skip
    return conn.execute(_QUEUE, params).scalar_one_or_none()


def list_documents(uow: UnitOfWork, actor: Actor, channel_id: str, pending: bool = True, kind: str | None = None,
                   after: int | None = None, limit: int = 100) -> list[ChannelDocumentSummary]:  # fmt: skip
    """The channel's documents, oldest first; `pending` only those not yet acknowledged; `after` an id
    pages on."""
    _require(actor, channel_id)
    params = {"channel": channel_id, "pending": pending, "kind": kind, "after": after, "limit": limit}
    with uow.reading():
        return [ChannelDocumentSummary.model_validate(row) for row in uow.conn.execute(_LIST, params).mappings()]


def get_document(uow: UnitOfWork, actor: Actor, channel_id: str, document_id: int) -> ChannelDocument:
    _require(actor, channel_id)
    with uow.reading():
        row = uow.conn.execute(_GET, {"id": document_id, "channel": channel_id}).mappings().first()
    if row is None:
        raise NotFound(f"channel '{channel_id}' has no document {document_id}")
    return ChannelDocument.model_validate({**row, "body": bytes(row["body"])})


def acknowledge_document(uow: UnitOfWork, actor: Actor, channel_id: str, document_id: int) -> ChannelDocumentSummary:
    """The channel has the document: it is no longer pending (acknowledging twice changes nothing)."""
    _require(actor, channel_id)
    with uow:
        if uow.conn.execute(_ACKNOWLEDGE, {"id": document_id, "channel": channel_id}).first() is None:
            raise NotFound(f"channel '{channel_id}' has no document {document_id}")
        uow.record(actor, "channel_document.acknowledged", "channel_document", document_id)
        uow.commit()
    document = get_document(uow, actor, channel_id, document_id)
    return ChannelDocumentSummary.model_validate(document.model_dump(exclude={"body"}))


def send_due_documents(engine: Engine) -> int:
    """The worker's job: send the documents due now (one batch); how many were tried."""
    with engine.begin() as conn:
        claimed = conn.execute(_CLAIM, {"lease": LEASE_SECONDS, "batch": BATCH}).all()
    for document_id, attempts in claimed:
        _send(engine, document_id, attempts)
    return len(claimed)


def _send(engine: Engine, document_id: int, attempts: int) -> None:
    with engine.connect() as conn:
        row = conn.execute(_TO_SEND, {"id": document_id}).one()
    name = f"channel-document-{row.id}"
    file_name = f"{row.kind}-{row.id}.{EXTENSIONS.get(row.content_type, 'txt')}"
    try:
        delivered = transports.deliver(row, bytes(row.body), name, file_name, row.kind, row.content_type)
    except transports.SendFailed as failure:
        log.warning("sending channel document %s failed (attempt %d): %s", row.id, attempts, failure)
        with engine.begin() as conn:
            conn.execute(_FAILED, {"id": row.id, "error": str(failure),
                                   "wait": retry_delay(RETRY, attempts, random.random())})  # fmt: skip
        return
    with engine.begin() as conn:
        if delivered is None:  # the channel pulls its documents since this was queued
            conn.execute(_NOTHING_TO_SEND, {"id": document_id})
        else:
            conn.execute(_SENT, {"id": row.id, "acknowledged": delivered.acknowledged})


def _require(actor: Actor, channel_id: str) -> None:
    actor.require(Permission.CHANNEL_DOCUMENTS)
    actor.require_channel(channel_id)
