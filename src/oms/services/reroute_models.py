"""What a reroute takes and answers (see oms.services.order_reroute)."""

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from oms.services.order_models import Command, OrderPublic


class RerouteReason(StrEnum):
    MANUAL = "manual"
    NODE_OUTAGE = "node_outage"
    STOCK_DISCREPANCY = "stock_discrepancy"


NodeRef = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class RerouteCommand(Command):
    reason: RerouteReason
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    exclude_nodes: list[NodeRef] = Field(default=[], max_length=100, description="Nodes not to route to")
    node_id: NodeRef | None = Field(default=None, description="Reroute only the allocations at this node")
    lines: list[Annotated[int, Field(gt=0)]] | None = Field(
        default=None, min_length=1, max_length=500, description="Reroute only these line numbers"
    )

    @model_validator(mode="after")
    def _names_the_node_at_fault(self) -> "RerouteCommand":
        if self.reason != RerouteReason.MANUAL and self.node_id is None:
            raise ValueError(f"a {self.reason.value} reroute names the node at fault in node_id")
        return self


class LineUnits(BaseModel):
    line_no: int
    sku: str
    quantity: int


class AllocationMove(LineUnits):
    node_id: str


class RerouteResult(BaseModel):
    order: OrderPublic
    released: list[AllocationMove] = Field(description="Allocations given back")
    allocated: list[AllocationMove] = Field(description="Allocations the new routing reserved")
    backordered: list[LineUnits] = Field(description="What no node could take: backordered")
    summary: str
