"""Rerouting many orders because of one fact (a node outage, a stock count), each in its own
transaction: one order's failure neither undoes nor blocks the others, and no transaction keeps the
stock of many orders' SKUs locked for long."""

import logging

from pydantic import BaseModel, Field
from sqlalchemy.exc import SQLAlchemyError

from oms.domain.errors import DomainError
from oms.services import order_actions
from oms.services.actor import Actor, Role
from oms.services.errors import ServiceError
from oms.services.reroute_models import RerouteCommand
from oms.services.uow import UnitOfWork

log = logging.getLogger(__name__)


class RerouteFailure(BaseModel):
    order_id: int
    reason: str


class RerouteReport(BaseModel):
    rerouted: list[int] = Field(default=[], description="Orders whose rerouted units all found a node")
    backordered: list[int] = Field(default=[], description="Orders rerouted with units left backordered")
    failed: list[RerouteFailure] = Field(default=[], description="Orders left as they were, and why")


def acting_for(actor: Actor, name: str) -> Actor:
    """Who reroutes the orders a fact recorded by `actor` affects: the system, on the person's behalf,
    across every channel (the fact was the person's to record; its consequences are not theirs to pick)."""
    return Actor(name=name, role=Role.ADMIN, on_behalf_of=actor.on_behalf_of or actor.name)


def reroute_each(uow: UnitOfWork, actor: Actor, commands: list[tuple[int, RerouteCommand]]) -> RerouteReport:
    report = RerouteReport()
    for order_id, cmd in commands:
        try:
            result = order_actions.reroute(uow, actor, order_id, cmd)
        except (ServiceError, DomainError, SQLAlchemyError) as error:
            log.warning("reroute of order %s (%s) failed: %s", order_id, cmd.reason, error)
            report.failed.append(RerouteFailure(order_id=order_id, reason=_why(error)))
        else:
            (report.backordered if result.backordered else report.rerouted).append(order_id)
    return report


def _why(error: Exception) -> str:
    if isinstance(error, SQLAlchemyError):  # a deadlock or lost connection: the first line says which
        return str(getattr(error, "orig", None) or error).splitlines()[0]
    return str(error)
