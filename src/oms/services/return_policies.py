"""Return policies per channel: read, set, remove (back to the default), each change audited.

A channel without a policy of its own returns under `DEFAULT_POLICY`. An RMA keeps a copy of the policy
it was authorised under, so a later change never alters the refund of a return already under way.
"""

import datetime as dt
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.domain.returns import DEFAULT_POLICY, ReturnPolicy
from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.uow import UnitOfWork


class ReturnPolicyPublic(BaseModel):
    channel: str
    source: Literal["channel", "default"]
    version: int  # 0 for the default
    policy: ReturnPolicy
    updated_by: str | None
    updated_at: dt.datetime | None


_POLICIES = text(
    """
    SELECT c.id AS channel, p.policy, coalesce(p.version, 0) AS version, p.updated_by, p.updated_at
    FROM channels c LEFT JOIN return_policies p ON p.channel_id = c.id
    WHERE CAST(:channel AS text) IS NULL OR c.id = :channel
    ORDER BY c.id
    """
)
_SAVE = text(
    """
    INSERT INTO return_policies (channel_id, policy, updated_by) VALUES (:channel, CAST(:policy AS jsonb), :actor)
    ON CONFLICT (channel_id) DO UPDATE
      SET policy = excluded.policy, updated_by = excluded.updated_by, updated_at = now(),
          version = return_policies.version + 1
    """
)


def load_policy(conn: Connection, channel_id: str) -> ReturnPolicy:
    row = conn.execute(text("SELECT policy FROM return_policies WHERE channel_id = :c"), {"c": channel_id}).first()
    return ReturnPolicy.model_validate(row.policy) if row else DEFAULT_POLICY


def list_policies(uow: UnitOfWork, actor: Actor) -> list[ReturnPolicyPublic]:
    """The policy of every channel, its own or the default."""
    actor.require(Permission.RETURNS_READ)
    with uow.reading():
        return [_public(row) for row in uow.conn.execute(_POLICIES, {"channel": None})]


def get_policy(uow: UnitOfWork, actor: Actor, channel_id: str) -> ReturnPolicyPublic:
    actor.require(Permission.RETURNS_READ)
    with uow.reading():
        return _read(uow.conn, channel_id)


def set_policy(uow: UnitOfWork, actor: Actor, channel_id: str, policy: ReturnPolicy) -> ReturnPolicyPublic:
    actor.require(Permission.RETURN_POLICIES_WRITE)
    with uow:
        before = _read(uow.conn, channel_id)
        uow.conn.execute(_SAVE, {"channel": channel_id, "policy": dumps_json(policy.model_dump(mode="json")),
                                 "actor": actor.name})  # fmt: skip
        after = _read(uow.conn, channel_id)
        _audit(uow, actor, "return_policy.saved", before, after)
        uow.commit()
    return after


def delete_policy(uow: UnitOfWork, actor: Actor, channel_id: str) -> ReturnPolicyPublic:
    """Remove the channel's own policy: its returns follow the default again."""
    actor.require(Permission.RETURN_POLICIES_WRITE)
    with uow:
        before = _read(uow.conn, channel_id)
        if before.source == "default":
            raise NotFound(f"channel '{channel_id}' has no return policy of its own")
        uow.conn.execute(text("DELETE FROM return_policies WHERE channel_id = :c"), {"c": channel_id})
        after = _read(uow.conn, channel_id)
        _audit(uow, actor, "return_policy.deleted", before, after)
        uow.commit()
    return after


def _read(conn: Connection, channel_id: str) -> ReturnPolicyPublic:
    row = conn.execute(_POLICIES, {"channel": channel_id}).first()
    if row is None:
        raise NotFound(f"unknown channel '{channel_id}'")
    return _public(row)


def _public(row) -> ReturnPolicyPublic:
    source = "default" if row.policy is None else "channel"
    return ReturnPolicyPublic(channel=row.channel, source=source, version=row.version,
                              policy=DEFAULT_POLICY if row.policy is None else row.policy,
                              updated_by=row.updated_by, updated_at=row.updated_at)  # fmt: skip


def _audit(uow: UnitOfWork, actor: Actor, action: str, before: ReturnPolicyPublic, after: ReturnPolicyPublic) -> None:
    uow.record(actor, action, "return_policy", after.channel, before=before.model_dump(mode="json"),
               after=after.model_dump(mode="json"))  # fmt: skip
