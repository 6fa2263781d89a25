"""A node outage: the node stops fulfilling, then every order not yet released with allocations there is
rerouted away from it, oldest first (first come, first served for the stock left elsewhere), each in
its own transaction (oms.services.reroute_runs).

Stopping is the node's `active` flag, which promise, capture, pickup and routing already honour; a node
change notifies every API process (migration 0002), and capture also reads the flag with the stock it
routes on. Declaring the outage again reroutes whatever is still allocated there (an order captured in
the instant before a process heard). Ending the outage makes the node active again; rerouted orders stay
where they went."""

from typing import Annotated

from pydantic import StringConstraints
from sqlalchemy import text

from oms.domain.order_status import ALLOWED_FROM
from oms.services.actor import Actor, Permission
from oms.services.errors import Forbidden, NotFound
from oms.services.network import NodePublic, load_node
from oms.services.order_models import Command
from oms.services.reroute_models import RerouteCommand, RerouteReason
from oms.services.reroute_runs import RerouteReport, acting_for, reroute_each
from oms.services.uow import UnitOfWork

REROUTER = "node-outage"


class OutageCommand(Command):
    note: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class OutageReport(RerouteReport):
    node: NodePublic


_LOCK_NODE = text("SELECT active FROM nodes WHERE id = :id FOR UPDATE")
_SET_ACTIVE = text("UPDATE nodes SET active = :active WHERE id = :id")
_ORDERS_AT = text(
    """
    SELECT DISTINCT a.order_id
    FROM allocations a JOIN order_lines l ON l.id = a.order_line_id JOIN orders o ON o.id = a.order_id
    WHERE a.node_id = :node AND l.status IN ('allocated', 'partially_allocated', 'backordered')
      AND o.status = ANY(:statuses)
    ORDER BY a.order_id
    """
)


def declare_outage(uow: UnitOfWork, actor: Actor, node_id: str, cmd: OutageCommand) -> OutageReport:
    node = _switch(uow, actor, node_id, active=False, event="node.outage", note=cmd.note)
    statuses = sorted(s.value for s in ALLOWED_FROM["reroute"])
    with uow.reading():
        orders = uow.conn.execute(_ORDERS_AT, {"node": node_id, "statuses": statuses}).scalars().all()
    reroute = RerouteCommand(reason=RerouteReason.NODE_OUTAGE, node_id=node_id, note=cmd.note)
    report = reroute_each(uow, acting_for(actor, REROUTER), [(order_id, reroute) for order_id in orders])
    return OutageReport(node=node, **report.model_dump())


def end_outage(uow: UnitOfWork, actor: Actor, node_id: str) -> NodePublic:
    return _switch(uow, actor, node_id, active=True, event="node.outage_ended", note=None)


def _switch(
    uow: UnitOfWork, actor: Actor, node_id: str, active: bool, event: str, note: str | None
) -> NodePublic:
    """Set the node's `active` flag, audited when it changes."""
    actor.require(Permission.NODE_OUTAGE)
    if actor.channel_id is not None:
        raise Forbidden(f"this key acts for channel '{actor.channel_id}' only, not for the whole network")
    with uow:
        if uow.conn.execute(_LOCK_NODE, {"id": node_id}).first() is None:
            raise NotFound(f"unknown node '{node_id}'")
        node = load_node(uow.conn, node_id)
        if node.active != active:  # already so: nothing to change or record
            uow.conn.execute(_SET_ACTIVE, {"id": node_id, "active": active})
            before, node = node, load_node(uow.conn, node_id)
            uow.record(actor, event, "node", node_id, before=before.model_dump(mode="json"),
                       after=node.model_dump(mode="json") | {"note": note}, publish=event)  # fmt: skip
        uow.commit()
    return node
