"""The model registry (ml_models): each training stores a new version of a named model with its training
and validation windows, rows, metrics (the model's and the per-carrier baseline's) and the fitted model
itself (the delay model; the routing reliability table too). Versions are never overwritten: the latest
one scores, the older ones say how it evolved."""

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.uow import UnitOfWork

DELAY = "delay"
_INFO = (
    "name, version, trained_at, trained_by, train_from, train_to, validate_from, validate_to, rows, metrics"
)
_LIST = text(f"SELECT {_INFO} FROM ml_models ORDER BY name, version DESC")
_LATEST = text(f"SELECT {_INFO}, artifact FROM ml_models WHERE name = :name ORDER BY version DESC LIMIT 1")
_VERSION = text(f"SELECT {_INFO}, artifact FROM ml_models WHERE name = :name AND version = :version")
# Two trainings finishing at once each take the next version in turn (the advisory lock), never the same.
_LOCK = text("SELECT pg_advisory_xact_lock(hashtext('oms.ml_models.' || :name))")
_INSERT = text(
    f"""
    INSERT INTO ml_models (name, version, trained_at, trained_by, train_from, train_to, validate_from,
                           validate_to, rows, metrics, artifact)
    SELECT CAST(:name AS varchar), coalesce(max(version), 0) + 1, :trained_at, :trained_by, :train_from, :train_to,
           :validate_from, :validate_to, :rows, CAST(:metrics AS jsonb), :artifact
    FROM ml_models WHERE name = :name
    RETURNING {_INFO}
    """
)


class Artifact(Protocol):
    def to_bytes(self) -> bytes: ...


class ModelInfo(BaseModel):
    name: str
    version: int
    trained_at: datetime
    trained_by: str
    train_from: datetime
    train_to: datetime
    validate_from: datetime = Field(
        description="The metrics are those of the same recipe fitted on the history before this and scored "
        "on [validate_from, validate_to]; the stored model is then refitted on the whole training window"
    )
    validate_to: datetime
    rows: int = Field(description="Delivered shipments learnt from")
    metrics: dict = Field(description="delay: roc_auc, precision_at_100, brier, log_loss, late_rate on the "
                                      "validation window, `baseline` the same for each carrier's late rate; "
                                      "routing_reliability: shipments, on_time_rate, transit_mean, lanes, cells, "
                                      "nodes")  # fmt: skip


class ModelsPublic(BaseModel):
    models: list[ModelInfo]


def store_model(
    uow: UnitOfWork, actor: Actor, name: str, model: Artifact, facts: dict, metrics: dict
) -> ModelInfo:
    """Insert the next version of `name` in the open unit of work and audit it; the caller commits.
    `facts`: trained_at (the clock the history was read at), the windows and rows."""
    uow.conn.execute(_LOCK, {"name": name})
    params = {"name": name, "trained_by": actor.name, **facts, "metrics": dumps_json(metrics),
              "artifact": model.to_bytes()}  # fmt: skip
    info = ModelInfo.model_validate(dict(uow.conn.execute(_INSERT, params).one()._mapping))
    uow.record(actor, "ml_model.trained", "ml_model", f"{name}:{info.version}",
               after=info.model_dump(mode="json", exclude={"trained_at"}))  # fmt: skip
    return info


def list_models(uow: UnitOfWork, actor: Actor) -> ModelsPublic:
    """Every stored version, newest first per model."""
    actor.require(Permission.REPORTS_READ)
    with uow.reading():
        return ModelsPublic(
            models=[ModelInfo.model_validate(dict(r._mapping)) for r in uow.conn.execute(_LIST)]
        )


def delay_model(artifact: bytes) -> object:
    """The delay model in `artifact`. scikit-learn is imported here, when a model is first loaded, not
    when an API worker starts (it was 40% of the app's import time)."""
    from oms.ml.delay_model import DelayModel

    return DelayModel.from_bytes(artifact)


def latest_model(
    uow: UnitOfWork, name: str = DELAY, load: Callable[[bytes], object] = delay_model
) -> tuple[ModelInfo, object] | None:
    """The newest version of `name` and the model itself (`load` reads its artifact), or None before the
    first training. Takes no actor: the services that use it check their own permission."""
    with uow.reading():
        return latest_in(uow.conn, name, load)


def latest_in(
    conn: Connection, name: str = DELAY, load: Callable[[bytes], object] = delay_model
) -> tuple[ModelInfo, object] | None:
    return _loaded(conn.execute(_LATEST, {"name": name}).one_or_none(), load)


def version_in(
    conn: Connection, name: str, version: int, load: Callable[[bytes], object]
) -> tuple[ModelInfo, object] | None:
    """Version `version` of `name` and the model itself, or None when there is no such version."""
    return _loaded(conn.execute(_VERSION, {"name": name, "version": version}).one_or_none(), load)


def _loaded(row, load: Callable[[bytes], object]) -> tuple[ModelInfo, object] | None:
    if row is None:
        return None
    values = dict(row._mapping)
    return ModelInfo.model_validate(values), load(values.pop("artifact"))
