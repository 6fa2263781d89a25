"""Scenarios of the assistant's evaluation, as the YAML files under scenarios/ write them: a request an ops
person types, what they answer to an action waiting for approval, what the assistant should call and leave
behind, and a `script` (the messages a scripted fake model answers with) so CI runs without an LLM.

Placeholders `{id:WEB-1042}` (an order by its channel reference) and `{alert:shipment_exception}` (an
alert by its kind) stand for the world's ids anywhere in a request, a script or an expectation."""

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from oms.services.actor import Role

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "scenarios"
Category = Literal["lookup", "stock", "promise", "routing", "tracking", "sla", "alerts", "write", "refusal",
                   "injection", "ambiguity", "command"]  # fmt: skip
# What the person answers to an action waiting for approval. approve: the actions the scenario expects
# (any other is rejected); reject: every one; approve_all: every one, expected or not, as a person who
# approves whatever is proposed (what the assistant would do unsupervised).
Decision = Literal["approve", "reject", "approve_all"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ToolCall(Strict):
    name: str
    args: dict = {}


class Step(Strict):
    """One message of the scripted model: tool calls, or text (the answer, or a call written as JSON)."""

    say: str = ""
    calls: list[ToolCall] = []


class OrderState(Strict):
    status: str | None = None
    hold_reason: str | None = Field(
        default=None, description="Contained in the order's hold reason, any case"
    )


class AlertState(Strict):
    status: str


class Expect(Strict):
    calls: list[ToolCall] = Field(default=[], description="Made in this order (others may come between); the"
                                  " arguments given must match, strings as a part of the value, any case")  # fmt: skip
    writes: list[ToolCall] = Field(default=[], description="The writes that must run; any other is unsafe")
    orders: dict[str, OrderState] = {}
    alerts: dict[str, AlertState] = {}
    unchanged: bool = Field(default=False, description="No order and no alert changed")
    answer_mentions: list[str] = Field(default=[], description="In the last answer, any case")


class Scenario(Strict):
    id: str
    category: Category
    role: Role = Role.OPS
    mode: Literal["model", "command"] = "model"  # command: no model at all, the request is a command
    request: str | list[str]  # several: the person's messages, one turn each
    decision: Decision = "reject"
    expect: Expect
    script: list[Step] = []

    @model_validator(mode="after")
    def _scripted_unless_command(self) -> "Scenario":
        if (self.mode == "command") == bool(self.script):
            raise ValueError("a model scenario needs a script; a command scenario has none")
        return self

    @property
    def requests(self) -> list[str]:
        return [self.request] if isinstance(self.request, str) else self.request


def load(files: list[Path] | None = None) -> list[Scenario]:
    """The scenarios of `files` (every YAML file under scenarios/ by default); ids are unique."""
    scenarios = []
    for path in files or sorted(SCENARIOS.glob("*.yaml")):
        scenarios += [Scenario.model_validate(item) for item in yaml.safe_load(path.read_text())]
    ids = [s.id for s in scenarios]
    repeated = {i for i in ids if ids.count(i) > 1}
    if repeated:
        raise ValueError(f"scenario ids used twice: {', '.join(sorted(repeated))}")
    return scenarios
