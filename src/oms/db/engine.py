"""One SQLAlchemy engine per process, on DATABASE_URL or on the embedded server."""

from decimal import Decimal
from functools import lru_cache

import orjson
from psycopg.types.json import set_json_loads
from sqlalchemy import Engine, create_engine

from oms.settings import Settings, get_settings


def database_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.database_url:
        return _with_psycopg_driver(settings.database_url)
    from oms.db.embedded import embedded_database_url

    return embedded_database_url(settings.data_dir)


def _with_psycopg_driver(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _json_default(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def dumps_json(value) -> str:
    return orjson.dumps(value, default=_json_default).decode()


# JSON the driver decodes itself (json/jsonb columns of text() queries) goes through orjson too.
set_json_loads(orjson.loads)


def make_engine(url: str, pool_size: int | None = None) -> Engine:
    size = pool_size or get_settings().db_pool_size
    return create_engine(
        url, pool_size=size, max_overflow=4, json_serializer=dumps_json, json_deserializer=orjson.loads
    )


@lru_cache
def get_engine() -> Engine:
    return make_engine(database_url())
