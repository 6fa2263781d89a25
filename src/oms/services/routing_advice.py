"""The routing advisor's schedule and identity: it runs as a system actor (it learns a table and proposes;
only a person's approval changes the profiles), once every OMS_ROUTING_ADVISE_HOURS."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Connection, Engine, text

from oms.services.actor import Actor, Role
from oms.services.routing_reliability import RELIABILITY

ROUTING_ADVISOR = Actor(name="system:routing-advisor", role=Role.ADMIN)
_LAST_ADVICE = text("SELECT max(trained_at) FROM ml_models WHERE name = :name AND trained_by = :advisor")
_TRY_LOCK = text("SELECT pg_try_advisory_lock(hashtext('oms.routing.advice'))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtext('oms.routing.advice'))")


class AdviceSettings(BaseSettings):
    """OMS_ROUTING_ADVISE_HOURS (how often `oms run` advises; 0: never), OMS_ROUTING_ADVISE_DAYS and
    OMS_ROUTING_ADVISE_MAX_ORDERS (the recent orders it replays)."""

    model_config = SettingsConfigDict(env_prefix="OMS_ROUTING_", extra="ignore")
    advise_hours: float = 24.0
    advise_days: int = 14
    advise_max_orders: int = 500


@contextmanager
def advice_turn(engine: Engine, now: datetime | None = None) -> Iterator[bool]:
    """True when the advisor has not learnt a table for OMS_ROUTING_ADVISE_HOURS (each run stores one, so
    a worker that restarts does not advise again) and this process holds the advisor's lock, which it
    keeps for the block: of several workers, one advises and the others skip."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not _due(conn, now) or not conn.execute(_TRY_LOCK).scalar():
            yield False
            return
        try:
            yield _due(conn, now)  # again under the lock: another worker may have just advised
        finally:
            conn.execute(_UNLOCK)


def _due(conn: Connection, now: datetime | None) -> bool:
    hours, now = AdviceSettings().advise_hours, now or datetime.now(UTC)
    if not hours:
        return False
    last = conn.execute(_LAST_ADVICE, {"name": RELIABILITY, "advisor": ROUTING_ADVISOR.name}).scalar()
    return last is None or last < now - timedelta(hours=hours)
