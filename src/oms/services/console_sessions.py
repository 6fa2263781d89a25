"""Web console sessions, kept in the database. The browser's cookie carries a random id of which only the
SHA-256 is stored, so signing out deletes what the cookie points at (a copy of it is worth nothing after),
and disabling the user or revoking the key ends the session at its next request.

A session ends after IDLE without a request, and LIFETIME after sign-in whatever the activity. Its last
request is written at most once a minute (a busy page costs no write per request), with `expires_at`,
the nearer of the two ends, by which expired rows are pruned when someone signs in."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text

from oms.services.actor import Actor
from oms.services.uow import UnitOfWork
from oms.services.users import Principal, principal_actor

IDLE = timedelta(hours=8)
LIFETIME = timedelta(days=7)
SEEN_EVERY = timedelta(minutes=1)

_START = text(
    """
    INSERT INTO console_sessions (token_hash, user_id, api_key_id, csrf, expires_at)
    VALUES (:hash, :user_id, (SELECT id FROM api_keys WHERE key_hash = :key_hash), :csrf, now() + :first_expiry)
    RETURNING id
    """
)
# One indexed lookup per request: the session, who it acts as (nobody once the user is disabled or the
# key revoked), and its last-seen time moved on when a minute has passed.
_FIND = text(
    """
    WITH found AS (
      SELECT id, user_id, api_key_id, csrf, created_at, last_seen_at FROM console_sessions
      WHERE token_hash = :hash AND last_seen_at > now() - CAST(:idle AS interval)
        AND created_at > now() - CAST(:lifetime AS interval)),
    seen AS (
      UPDATE console_sessions s SET last_seen_at = now(),
             expires_at = least(s.created_at + CAST(:lifetime AS interval), now() + CAST(:idle AS interval))
      FROM found WHERE s.id = found.id AND found.last_seen_at < now() - CAST(:seen_every AS interval))
    SELECT found.csrf, found.user_id IS NOT NULL AS is_user, coalesce(u.name, k.name) AS name,
           coalesce(u.role, k.role) AS role, coalesce(u.channel_id, k.channel_id) AS channel_id, k.node_id
    FROM found
    LEFT JOIN users u ON u.id = found.user_id AND NOT u.disabled
    LEFT JOIN api_keys k ON k.id = found.api_key_id AND k.revoked_at IS NULL
    """
)
_END = text("DELETE FROM console_sessions WHERE token_hash = :hash RETURNING id")
_PRUNE = text("DELETE FROM console_sessions WHERE expires_at <= now()")
_TIMES = {"idle": IDLE, "lifetime": LIFETIME, "seen_every": SEEN_EVERY}


@dataclass(frozen=True)
class ConsoleSession:
    token: str  # the cookie's secret: never stored
    csrf: str  # the token every POST of the session carries
    actor: Actor


def start(uow: UnitOfWork, actor: Actor, principal: Principal) -> ConsoleSession:
    """A new session for `principal` (checked by the caller: a user who signed in, a valid key)."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with uow:
        uow.conn.execute(_PRUNE)
        user = principal.kind == "user"
        params = {"hash": _hash(token), "csrf": csrf, "user_id": int(principal.ref) if user else None,
                  "key_hash": None if user else principal.ref, "first_expiry": min(IDLE, LIFETIME)}  # fmt: skip
        session_id = uow.conn.execute(_START, params).scalar_one()
        uow.record(actor, "console.signed_in", "console_session", session_id)
        uow.commit()
    return ConsoleSession(token, csrf, actor)


def find(uow: UnitOfWork, token: str) -> ConsoleSession | None:
    """The live session of a cookie's token; None once signed out, expired, or its user or key is gone."""
    with uow.autocommit():
        row = uow.conn.execute(_FIND, {"hash": _hash(token)} | _TIMES).first()
    if row is None or row.name is None:
        return None
    return ConsoleSession(token, row.csrf, principal_actor("user" if row.is_user else "key", row))


def end(uow: UnitOfWork, session: ConsoleSession) -> None:
    """Sign out: the session's row goes, and with it every copy of its cookie."""
    with uow:
        session_id = uow.conn.execute(_END, {"hash": _hash(session.token)}).scalar()
        if session_id is not None:
            uow.record(session.actor, "console.signed_out", "console_session", session_id)
        uow.commit()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
