"""Payloads channels send, kept as received, so every order traces back to what its channel said.

A payload is stored only once accepted: a payload refused (bad signature, malformed, failing validation)
leaves nothing behind. An order's payload is written by capture in the same statement as the order
(`OrderSource.payload`); a file of many orders is stored first and each order points into it
(`OrderSource.payload_id` and `reference`, e.g. "row 12" or "ST 0001"); a payload that acts on an order
already there (an update, a cancellation, a refund) is stored with what became of it (`store_payload`).

A channel that names its messages (a webhook id, an interchange control number) gives a `dedupe_key`: the
same key twice is the same message, recognised by `find_received` before any work, and refused by the
unique key (`AlreadyReceived`) when two deliveries of it race.
"""

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.uow import UnitOfWork

Source = Literal["api", "shopify", "marketplace", "edi", "bulk", "document"]
DEDUPE_KEY = "uq_inbound_payloads_dedupe"
MAX_PAYLOAD_BYTES = 20 * 1024 * 1024  # an import file of ~100,000 rows; webhooks are far smaller


@dataclass(frozen=True, slots=True)
class Payload:
    source: Source
    content_type: str
    body: bytes
    topic: str | None = None
    dedupe_key: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


@dataclass(frozen=True, slots=True)
class OrderSource:
    """Where a captured order came from: a payload stored with it, or one stored before (by id)."""

    source: Source = "api"  # when the payload was stored before; otherwise the payload's own
    payload: Payload | None = None
    payload_id: int | None = None
    reference: str | None = None  # where in the payload, for a payload of several orders

    @property
    def kind(self) -> Source:
        return self.payload.source if self.payload else self.source


@dataclass(frozen=True, slots=True)
class Received:
    """A payload stored earlier under the same dedupe key, and what became of it."""

    payload_id: int
    order_id: int | None
    outcome: dict | None


class AlreadyReceived(Exception):
    """A payload with this dedupe key was stored meanwhile, by a delivery racing this one."""


class PayloadSummary(BaseModel):
    id: int
    channel: str
    source: str
    topic: str | None
    dedupe_key: str | None
    content_type: str
    size: int
    sha256: str
    order_id: int | None = Field(description="The order this payload acted on (an update, a cancellation)")
    order_ids: list[int] = Field(description="The orders captured from this payload")
    outcome: dict | None
    received_by: str
    received_at: dt.datetime


class PayloadPublic(PayloadSummary):
    body: str = Field(description="The payload as received: text as is, anything else base64-encoded")
    body_encoding: Literal["utf-8", "base64"]


_FIND = text(
    """
    SELECT id, coalesce(order_id, (SELECT min(o.id) FROM orders o WHERE o.source_payload_id = p.id)) AS order_id,
           outcome
    FROM inbound_payloads p WHERE channel_id = :channel AND source = :source AND dedupe_key = :key
    """
)
_STORE = text(
    """
    INSERT INTO inbound_payloads (channel_id, source, topic, dedupe_key, content_type, body, sha256, order_id,
                                  outcome, received_by)
    VALUES (:channel, :source, :topic, :dedupe_key, :content_type, :body, :sha256, :order_id,
            CAST(:outcome AS jsonb), :received_by)
    RETURNING id
    """
)
_SET_OUTCOME = text("UPDATE inbound_payloads SET outcome = CAST(:outcome AS jsonb) WHERE id = :id")
_COLUMNS = """
    p.id, p.channel_id AS channel, p.source, p.topic, p.dedupe_key, p.content_type, octet_length(p.body) AS size,
    p.sha256, p.order_id, p.outcome, p.received_by, p.received_at,
    ARRAY(SELECT o.id FROM orders o WHERE o.source_payload_id = p.id ORDER BY o.id) AS order_ids
"""
_GET = text(f"SELECT {_COLUMNS}, p.body AS raw FROM inbound_payloads p WHERE p.id = :id")
_LIST = text(
    f"""
    SELECT {_COLUMNS} FROM inbound_payloads p
    WHERE p.channel_id = :channel AND (CAST(:source AS text) IS NULL OR p.source = :source)
      AND (CAST(:before AS bigint) IS NULL OR p.id < :before)
    ORDER BY p.id DESC LIMIT :limit
    """
)


def payload_params(channel: str, payload: Payload, received_by: str) -> dict:
    """The columns of a payload row, for _STORE and for capture's own statement."""
    return {"channel": channel, "source": payload.source, "topic": payload.topic, "dedupe_key": payload.dedupe_key,
            "content_type": payload.content_type, "body": payload.body, "sha256": payload.sha256,
            "received_by": received_by}  # fmt: skip


def find_received(conn: Connection, channel: str, source: Source, dedupe_key: str) -> Received | None:
    row = conn.execute(_FIND, {"channel": channel, "source": source, "key": dedupe_key}).first()
    return Received(row.id, row.order_id, row.outcome) if row else None


def store_payload(conn: Connection, actor: Actor, channel: str, payload: Payload, order_id: int | None = None,
                  outcome: dict | None = None) -> int:  # fmt: skip
    """Store `payload` in the caller's transaction; its id. A racing duplicate fails the statement with a
    unique violation on DEDUPE_KEY (see `is_duplicate`)."""
    params = payload_params(channel, payload, actor.name) | {"order_id": order_id, "outcome": dumps_json(outcome)}
    return conn.execute(_STORE, params).scalar_one()


def set_outcome(conn: Connection, payload_id: int, outcome: dict) -> None:
    conn.execute(_SET_OUTCOME, {"id": payload_id, "outcome": dumps_json(outcome)})


def is_duplicate(error: BaseException) -> bool:
    """Whether a database error is a payload's dedupe key already taken."""
    diag = getattr(getattr(error, "orig", error), "diag", None)
    return getattr(diag, "constraint_name", None) == DEDUPE_KEY


def get_payload(uow: UnitOfWork, actor: Actor, payload_id: int) -> PayloadPublic:
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        row = uow.conn.execute(_GET, {"id": payload_id}).mappings().first()
    if row is None or not actor.sees_channel(row["channel"]):
        raise NotFound(f"no inbound payload {payload_id}")
    raw = bytes(row["raw"])
    try:
        body, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        body, encoding = base64.b64encode(raw).decode("ascii"), "base64"
    return PayloadPublic.model_validate({**row, "body": body, "body_encoding": encoding})


def list_payloads(uow: UnitOfWork, actor: Actor, channel: str, source: Source | None = None,
                  before: int | None = None, limit: int = 50) -> list[PayloadSummary]:  # fmt: skip
    """A channel's payloads, newest first; `before` an id pages on."""
    actor.require(Permission.ORDER_READ)
    actor.require_channel(channel)
    with uow.reading():
        rows = uow.conn.execute(_LIST, {"channel": channel, "source": source, "before": before, "limit": limit})
        return [PayloadSummary.model_validate(row) for row in rows.mappings()]
