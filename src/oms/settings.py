"""Runtime settings, read from the environment (and a local .env file) once per process."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    # With no DATABASE_URL an embedded PostgreSQL (pgserver) is started in `data_dir`.
    database_url: str | None = Field(default=None, validation_alias="DATABASE_URL")
    data_dir: Path = Field(default=Path(".oms"), validation_alias="OMS_DATA_DIR")
    admin_api_key: str | None = Field(default=None, validation_alias="OMS_ADMIN_API_KEY")
    # Database connections per process; the API runs at most this many requests at once per worker, so
    # no request waits for a connection and none is opened and closed per request.
    db_pool_size: int = Field(default=16, ge=1, validation_alias="OMS_DB_POOL_SIZE")
    api_key_cache_seconds: float = Field(default=30.0, validation_alias="OMS_API_KEY_CACHE_SECONDS")
    # How old the stock a delivery promise reads may be (see oms.services.promise_stock); 0 reads it anew.
    promise_stock_ttl_seconds: float = Field(
        default=1.0, ge=0, validation_alias="OMS_PROMISE_STOCK_TTL_SECONDS"
    )

    # Published events and finished webhook deliveries are deleted after this many days (oms.services.
    # retention); the audit trail is kept for good.
    retention_days: float = Field(default=30.0, gt=0, validation_alias="OMS_RETENTION_DAYS")
    # FastAPI's native OpenTelemetry spans and metrics, for a process whose OpenTelemetry SDK is set up
    # (e.g. run under `opentelemetry-instrument`). Off by default: checking for a configured SDK on
    # every request costs the hottest endpoints a few percent for nothing.
    otel: bool = Field(default=False, validation_alias="OMS_OTEL")

    # Signs the web console's session cookies; unset, a random secret is kept in data_dir/session-secret
    # (oms.web.session), so sessions survive a restart and every worker process shares it.
    session_secret: str | None = Field(default=None, validation_alias="OMS_SESSION_SECRET")

    llm_base_url: str | None = Field(default=None, validation_alias="OMS_LLM_BASE_URL")
    llm_model: str | None = Field(default=None, validation_alias="OMS_LLM_MODEL")
    llm_api_key: str | None = Field(default=None, validation_alias="OMS_LLM_API_KEY")


@lru_cache
def get_settings() -> Settings:
    return Settings()
