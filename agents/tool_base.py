"""What every agent tool is made of (see agents.tools for the catalogue and how a call is run): the
service's own pydantic schema as the tool's arguments, the service call, and for a write the preview of
what it will change."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError, create_model
from pydantic.fields import FieldInfo

from oms.domain.errors import DomainError
from oms.services.actor import Actor, Permission
from oms.services.errors import ServiceError
from oms.services.uow import UnitOfWork


@dataclass(frozen=True)
class ToolContext:
    """What a tool runs with: a unit of work on the OMS database and the person it acts for."""

    uow: UnitOfWork
    actor: Actor


Runner = Callable[[ToolContext, Any], Any]


@dataclass(frozen=True)
class OmsTool:
    name: str
    description: str
    args: type[BaseModel]
    permission: Permission
    run: Runner
    preview: Runner | None = None  # writes only: the change to approve, as a JSON-able dict

    @property
    def writes(self) -> bool:
        return self.preview is not None

    def schema(self) -> dict:
        """The tool as chat models are told about it (OpenAI's function format)."""
        parameters = self.args.model_json_schema()
        parameters.pop("title", None)
        return {"type": "function",
                "function": {"name": self.name, "description": self.description, "parameters": parameters}}  # fmt: skip


@dataclass(frozen=True)
class ToolFailure:
    """Why a call did not run, worded for the model to correct itself or tell the user."""

    message: str


def targeted(command: type[BaseModel], name: str, **targets: tuple[type, FieldInfo]) -> type[BaseModel]:
    """The service's command with the identifiers an HTTP path would carry (e.g. `order_id`) added as
    fields, so one validated object carries both. `command_of` takes the command back out."""
    return create_model(name, __base__=command, **targets)


def command_of(args: BaseModel, command: type[BaseModel]) -> BaseModel:
    """The service command inside targeted arguments, without the identifiers."""
    return command.model_validate(args.model_dump(include=set(command.model_fields), by_alias=True))


def as_json(result: Any) -> Any:
    """A service's answer as JSON-able data for the model and the checkpoint."""
    if isinstance(result, BaseModel):
        return result.model_dump(mode="json", by_alias=True)
    if isinstance(result, list | tuple):
        return [as_json(item) for item in result]
    return result


def validate_call(tool: OmsTool, raw: dict) -> BaseModel | ToolFailure:
    try:
        return tool.args.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'arguments'}: {e['msg']}" for e in error.errors())
        return ToolFailure(f"{tool.name} was not called, its arguments are not valid: {problems}. Correct them"
                           " and call it again, or ask the user for what is missing.")  # fmt: skip


def guarded(action: Callable[[], Any]) -> Any:
    """Run a service call; its refusal becomes a ToolFailure the model can read."""
    try:
        return as_json(action())
    except ServiceError as error:
        return ToolFailure(f"refused ({error.status} {error.title}): {error.detail}")
    except DomainError as error:
        return ToolFailure(f"not possible now: {error}")
