"""The routing advisor's schedule and identity: it runs as a system actor (it learns a table and proposes;
only a person's approval changes the profiles), once every OMS_ROUTING_ADVISE_HOURS."""

from datetime import UTC, datetime, timedelta

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Engine, text

from oms.services.actor import Actor, Role
from oms.services.routing_reliability import RELIABILITY

ROUTING_ADVISOR = Actor(name="system:routing-advisor", role=Role.ADMIN)
_LAST_ADVICE = text("SELECT max(trained_at) FROM ml_models WHERE name = :name AND trained_by = :advisor")


class AdviceSettings(BaseSettings):
    """OMS_ROUTING_ADVISE_HOURS (how often `oms run` advises; 0: never), OMS_ROUTING_ADVISE_DAYS and
    OMS_ROUTING_ADVISE_MAX_ORDERS (the recent orders it replays)."""

    model_config = SettingsConfigDict(env_prefix="OMS_ROUTING_", extra="ignore")
    advise_hours: float = 24.0
    advise_days: int = 14
    advise_max_orders: int = 500


def advice_due(engine: Engine, now: datetime | None = None) -> bool:
    """True when the advisor has not learnt a table for OMS_ROUTING_ADVISE_HOURS: a worker that restarts
    does not advise again (each run stores a table version)."""
    hours, now = AdviceSettings().advise_hours, now or datetime.now(UTC)
    if not hours:
        return False
    with engine.connect() as conn:
        last = conn.execute(_LAST_ADVICE, {"name": RELIABILITY, "advisor": ROUTING_ADVISOR.name}).scalar()
    return last is None or last < now - timedelta(hours=hours)
