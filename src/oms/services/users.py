"""People who sign in to the web console: a name, an scrypt password hash, one role (a channel for a
channel-role user) and a disabled flag. A browser session (oms.services.console_sessions) names its
principal, a user or an API key, and turns it back into an Actor at every request, so disabling a user
or revoking a key ends their sessions at once."""

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from oms.db.tables import api_keys, console_sessions, users
from oms.services.actor import Actor, Permission, Role
from oms.services.api_keys import hash_key
from oms.services.errors import Conflict, FieldError, NotFound, Unauthorized, ValidationFailed
from oms.services.order_models import Command
from oms.services.uow import UnitOfWork

# scrypt at 16 MiB and about 50 ms a check: slow enough against guessing, quick enough for a sign-in.
_N, _R, _P = 2**14, 8, 1


class UserRole(StrEnum):
    """The roles a person may hold; wms and carrier are systems, which use API keys."""

    ADMIN = Role.ADMIN.value
    OPS = Role.OPS.value
    BACKOFFICE = Role.BACKOFFICE.value
    MANAGER = Role.MANAGER.value
    CHANNEL = Role.CHANNEL.value
    VIEWER = Role.VIEWER.value


class UserCreate(Command):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                                           pattern=r"^[\w.@-]+$")]  # fmt: skip
    password: Annotated[str, StringConstraints(min_length=10, max_length=200)]
    role: UserRole
    channel_id: Annotated[str, StringConstraints(min_length=1, max_length=40)] | None = Field(
        default=None, description="The channel a channel-role user acts for"
    )

    @model_validator(mode="after")
    def _channel_with_the_channel_role(self) -> "UserCreate":
        if (self.role is UserRole.CHANNEL) != (self.channel_id is not None):
            raise ValueError("a channel user needs its channel_id, and only a channel user takes one")
        return self


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a browser session belongs to: a user (by id) or an API key (by its hash, never the key)."""

    kind: Literal["user", "key"]
    ref: str


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    expected = base64.b64decode(digest)
    found = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                           dklen=len(expected))  # fmt: skip
    return hmac.compare_digest(found, expected)


@cache
def _dummy_hash() -> str:
    """Checked against when the name is unknown, so an unknown name takes as long to refuse as a bad
    password."""
    return hash_password(secrets.token_urlsafe(16))


def create_user(uow: UnitOfWork, actor: Actor, cmd: UserCreate) -> int:
    actor.require(Permission.API_KEYS)
    values = {"name": cmd.name, "password_hash": hash_password(cmd.password), "role": cmd.role.value,
              "channel_id": cmd.channel_id}  # fmt: skip
    with uow:
        try:
            user_id = uow.conn.execute(insert(users).values(**values).returning(users.c.id)).scalar_one()
        except IntegrityError as error:
            constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
            if constraint == "uq_users_name":
                raise Conflict(f"a user named '{cmd.name}' exists") from None
            raise ValidationFailed([FieldError(("channel_id",), f"no channel '{cmd.channel_id}'", "unknown")]) from None
        uow.record(actor, "user.created", "user", user_id,
                   after={"name": cmd.name, "role": cmd.role.value, "channel_id": cmd.channel_id})  # fmt: skip
        uow.commit()
    return user_id


def set_disabled(uow: UnitOfWork, actor: Actor, name: str, disabled: bool) -> None:
    """Disable a user (their sessions end at once) or enable them again."""
    actor.require(Permission.API_KEYS)
    with uow:
        stmt = update(users).where(users.c.name == name).values(disabled=disabled, updated_at=func.now())
        user_id = uow.conn.execute(stmt.returning(users.c.id)).scalar()
        if user_id is None:
            raise NotFound(f"no user '{name}'")
        if disabled:  # enabling them again must not bring their old sessions back
            uow.conn.execute(delete(console_sessions).where(console_sessions.c.user_id == user_id))
        uow.record(actor, "user.disabled" if disabled else "user.enabled", "user", user_id, after={"name": name})
        uow.commit()


def sign_in_user(uow: UnitOfWork, name: str, password: str) -> Principal:
    """The principal of a user whose password matches; 401 alike for an unknown name, a wrong password
    and a disabled user (the reason is not told to whoever is guessing). The name is taken without the
    spaces around it, as it was stored and as the sign-in throttle counts it."""
    with uow.reading():
        row = uow.conn.execute(select(users.c.id, users.c.password_hash, users.c.disabled)
                               .where(users.c.name == name.strip())).first()  # fmt: skip
    if not verify_password(password, row.password_hash if row else _dummy_hash()) or row is None or row.disabled:
        raise Unauthorized("unknown name or wrong password")
    return Principal("user", str(row.id))


def sign_in_key(uow: UnitOfWork, key: str) -> Principal:
    principal = Principal("key", hash_key(key))
    if session_actor(uow, principal) is None:
        raise Unauthorized("invalid or revoked API key")
    return principal


def session_actor(uow: UnitOfWork, principal: Principal) -> Actor | None:
    """The Actor a session acts as now; None once the user is disabled or the key revoked."""
    if principal.kind == "user":
        query = select(users.c.name, users.c.role, users.c.channel_id).where(
            users.c.id == int(principal.ref), users.c.disabled.is_(False))
    else:
        query = select(api_keys.c.name, api_keys.c.role, api_keys.c.channel_id, api_keys.c.node_id).where(
            api_keys.c.key_hash == principal.ref, api_keys.c.revoked_at.is_(None))
    with uow.reading():
        row = uow.conn.execute(query).first()
    return None if row is None else principal_actor(principal.kind, row)


def principal_actor(kind: str, row) -> Actor:
    """The Actor of a user's or a key's row (name, role, channel_id, and node_id for a key)."""
    name = f"user:{row.name}" if kind == "user" else row.name
    return Actor(name=name, role=Role(row.role), channel_id=row.channel_id, node_id=getattr(row, "node_id", None))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
