"""The worker's retraining of the delay model: a new version once the latest is older than
OMS_ANOMALY_DELAY_RETRAIN_DAYS, so the model follows the network's habits (a new carrier, a node's new
capacity, the season) without anyone remembering to retrain it. One worker trains at a time; the others
skip. Cheap when the model is fresh: one index probe."""

from datetime import UTC, datetime, timedelta

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Connection, Engine, text

from oms.services.actor import Actor, Role
from oms.services.delay_models_store import DELAY
from oms.services.delay_risk_training import NotEnoughHistory, train_from_database
from oms.services.uow import UnitOfWork

RETRAINER = Actor(name="system:delay-retraining", role=Role.ADMIN)
_LAST_TRAINED = text("SELECT max(trained_at) FROM ml_models WHERE name = :name")
_TRY_LOCK = text("SELECT pg_try_advisory_lock(hashtext('oms.delay.retraining'))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtext('oms.delay.retraining'))")


class RetrainSettings(BaseSettings):
    """OMS_ANOMALY_DELAY_RETRAIN_DAYS: the age at which the delay model is retrained (0: never)."""

    model_config = SettingsConfigDict(env_prefix="OMS_ANOMALY_DELAY_", extra="ignore")
    retrain_days: float = 7.0


def retrain_when_stale(engine: Engine, now: datetime | None = None) -> int:
    """Train a new version when none is younger than the retraining age; 1 when one was stored, 0 when
    the model is fresh, another worker is training, or the history cannot train one yet."""
    days, now = RetrainSettings().retrain_days, now or datetime.now(UTC)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if not days or not _stale(conn, now - timedelta(days=days)) or not conn.execute(_TRY_LOCK).scalar():
            return 0
        try:  # checked again under the lock: another worker may have just stored one
            return int(_stale(conn, now - timedelta(days=days)) and _train(engine, now))
        finally:
            conn.execute(_UNLOCK)


def _stale(conn: Connection, trained_before: datetime) -> bool:
    last = conn.execute(_LAST_TRAINED, {"name": DELAY}).scalar()
    return last is None or last < trained_before


def _train(engine: Engine, now: datetime) -> bool:
    try:
        train_from_database(UnitOfWork(engine), RETRAINER, now=now)
    except NotEnoughHistory:
        return False
    return True
