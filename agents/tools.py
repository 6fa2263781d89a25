"""The tools agents may call: each one a service of `oms.services` behind the service's own pydantic
schema, so a tool call is validated exactly as the HTTP request for the same thing is.

A call goes through two steps. `prepare` finds the tool, validates the arguments, checks the role of the
person the agent acts for and, for a write, reads the preview of what will change; `execute` runs the
service. Between the two, a write waits for that person's approval (the assistant's graph interrupts).
Whatever goes wrong (an unknown tool, arguments that do not validate, a refusal of the service) comes back
as a `ToolFailure` for the model to read, never as an exception that ends the conversation."""

from dataclasses import dataclass

from pydantic import BaseModel

from agents.desk_tools import DESK_TOOLS
from agents.order_tools import ORDER_TOOLS
from agents.stock_tools import STOCK_TOOLS
from agents.tool_base import OmsTool, ToolContext, ToolFailure, guarded, validate_call
from oms.services.actor import Actor

TOOLS: dict[str, OmsTool] = {tool.name: tool for tool in (*ORDER_TOOLS, *STOCK_TOOLS, *DESK_TOOLS)}


@dataclass(frozen=True)
class PreparedCall:
    tool: OmsTool
    args: BaseModel
    preview: dict | None  # a write's change to approve; None for a read

    def arguments(self) -> dict:
        """The validated arguments as JSON, to keep in a checkpoint and run after approval."""
        return self.args.model_dump(mode="json", by_alias=True, exclude_unset=True)


def tools_for(actor: Actor) -> list[OmsTool]:
    """The tools this person's role may use: the model is told of these only (and each call is checked
    again, and the services check once more)."""
    return [tool for tool in TOOLS.values() if actor.can(tool.permission)]


def prepare(ctx: ToolContext, name: str, arguments: dict) -> PreparedCall | ToolFailure:
    tool = TOOLS.get(name)
    if tool is None:
        return ToolFailure(f"there is no tool '{name}'; the tools are: {', '.join(TOOLS)}")
    args = validate_call(tool, arguments)
    if isinstance(args, ToolFailure):
        return args
    if not ctx.actor.can(tool.permission):
        return ToolFailure(f"refused: the role '{ctx.actor.role}' of the person you act for may not"
                           f" {tool.permission.value}; tell them to ask someone who may")  # fmt: skip
    if not tool.writes:
        return PreparedCall(tool, args, None)
    preview = guarded(lambda: tool.preview(ctx, args))
    return preview if isinstance(preview, ToolFailure) else PreparedCall(tool, args, preview)


def execute(ctx: ToolContext, call: PreparedCall):
    """Run the service: its answer as JSON, or a ToolFailure."""
    return guarded(lambda: call.tool.run(ctx, call.args))
