"""Training the delay model on the OMS's own delivered shipments (`oms ml train-delay` without a file, the
API, the demo): the history is read in one query, the model fitted outside any transaction (seconds),
then stored as the next version in a short one."""

from datetime import UTC, datetime

from oms.ml.delay_rows import DelayDataError
from oms.services.actor import Actor, Permission
from oms.services.delay_history import DEFAULT_WINDOW, SETTLE, delivered_records, node_cutoffs
from oms.services.delay_models_store import DELAY, ModelInfo, store_model
from oms.services.errors import Conflict
from oms.services.uow import UnitOfWork


class NotEnoughHistory(Conflict):
    """The delivered shipments cannot train a model worth keeping (too few, one class, too short)."""


def train_from_database(
    uow: UnitOfWork, actor: Actor, since: datetime | None = None, now: datetime | None = None
) -> ModelInfo:
    """Train on the delivered shipments of the orders created from `since` (default: a year before `now`)
    until a week before `now` (SETTLE), and store the model as the next version of 'delay';
    NotEnoughHistory (nothing stored) when the history fails the model's data checks."""
    # scikit-learn loads with the first training, not with every API worker (40% of the app's import time)
    from oms.ml.delay_model import train_delay_model

    actor.require(Permission.MODELS_TRAIN)
    now = now or datetime.now(UTC)
    since = since or now - DEFAULT_WINDOW
    with uow.reading():
        records = delivered_records(uow.conn, since, now - SETTLE)
        cutoffs = node_cutoffs(uow.conn)
    try:
        model = train_delay_model(records, cutoffs=cutoffs)
    except DelayDataError as error:
        raise NotEnoughHistory(
            f"cannot train the delay model on the history since {since:%Y-%m-%d}: {error}"
        ) from error
    with uow:
        facts = {"trained_at": now, **_windows(model.metadata)}
        info = store_model(uow, actor, DELAY, model, facts, _metrics(model.metadata))
        uow.commit()
    return info


def _windows(metadata: dict) -> dict:
    windows = {key: metadata[key] for key in ("train_from", "train_to", "validate_from", "validate_to")}
    return {**windows, "rows": metadata["rows"]["total"]}


def _metrics(metadata: dict) -> dict:
    return {**metadata["metrics"], "baseline": metadata["baseline_metrics"]}
