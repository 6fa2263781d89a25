"""API keys: stored as SHA-256 hashes, each with a role (and a channel for channel keys, a node for wms
keys)."""

import hashlib
import secrets
import time

from sqlalchemy import Engine, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert

from oms.db.tables import api_keys
from oms.services.actor import Actor, Permission, Role
from oms.services.errors import FieldError, Unauthorized, ValidationFailed
from oms.services.uow import UnitOfWork


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_api_key(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    role: Role,
    channel_id: str | None = None,
    key: str | None = None,
    node_id: str | None = None,
) -> str:
    """Create a key and return it in clear: this is the only time it is shown. A wms key needs the node
    it acts for, and only it takes one."""
    actor.require(Permission.API_KEYS)
    if (role == Role.WMS) != (node_id is not None):
        raise ValidationFailed([FieldError(("node_id",), "a wms key needs its node, and only a wms key", "node")])
    key = key or "oms_" + secrets.token_urlsafe(24)
    with uow:
        values = {"name": name, "key_hash": hash_key(key), "role": role.value, "channel_id": channel_id,
                  "node_id": node_id}
        uow.conn.execute(insert(api_keys).values(**values))
        uow.record(actor, "api_key.created", "api_key", name,
                   after={"name": name, "role": role.value, "node_id": node_id})  # fmt: skip
        uow.commit()
    return key


def ensure_api_key(engine: Engine, name: str, role: Role, key: str) -> None:
    """Make `key` valid with `role` (used to bootstrap OMS_ADMIN_API_KEY); idempotent."""
    with engine.begin() as conn:
        conn.execute(
            pg_insert(api_keys)
            .values(name=name, key_hash=hash_key(key), role=role.value)
            .on_conflict_do_nothing(index_elements=["key_hash"])
        )


class ApiKeyAuthenticator:
    """Resolves an X-API-Key to an Actor. Lookups are cached briefly: revocation takes effect within
    `ttl` seconds, and the hot path (every request) costs no database round trip."""

    def __init__(self, engine: Engine, ttl: float = 30.0):
        self.engine = engine
        self.ttl = ttl
        self._cache: dict[str, tuple[float, Actor | None]] = {}

    def authenticate(self, key: str | None) -> Actor:
        if not key:
            raise Unauthorized("missing X-API-Key header")
        digest = hash_key(key)
        hit = self._cache.get(digest)
        if hit is None or hit[0] < time.monotonic():
            if len(self._cache) > 10_000:  # random bad keys must not grow the cache without bound
                self._cache.clear()
            hit = (time.monotonic() + self.ttl, self._lookup(digest))
            self._cache[digest] = hit
        if hit[1] is None:
            raise Unauthorized("invalid or revoked API key")
        return hit[1]

    def _lookup(self, digest: str) -> Actor | None:
        query = select(api_keys.c.name, api_keys.c.role, api_keys.c.channel_id, api_keys.c.node_id).where(
            api_keys.c.key_hash == digest, api_keys.c.revoked_at.is_(None)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return Actor(name=row.name, role=Role(row.role), channel_id=row.channel_id, node_id=row.node_id)
