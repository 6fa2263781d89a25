"""Machine-learning models: the stored versions with their windows and metrics, and retraining."""

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, Field

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.delay_models_store import ModelInfo, ModelsPublic, list_models
from oms.services.delay_risk_training import train_from_database

router = APIRouter(prefix="/ml/models", tags=["ml"])


class TrainCommand(BaseModel):
    since: AwareDatetime | None = Field(
        default=None, description="Learn from orders created since; default a year"
    )


@router.get("", responses=problem_responses(403))
def read_models(actor: ActorDep, uow: UowDep) -> ModelsPublic:
    return list_models(uow, actor)


@router.post("/delay/train", status_code=201, responses=problem_responses(403, 409, 422))
def train_delay(actor: ActorDep, uow: UowDep, cmd: TrainCommand | None = None) -> ModelInfo:
    """Train the delay model on the delivered shipments (seconds) and store it as the next version; 409
    when the history is too short or too one-sided to learn from (nothing is stored)."""
    return train_from_database(uow, actor, since=cmd.since if cmd else None)
