"""Batch re-optimisation of the backlog: route open orders again jointly, under the stock and daily
capacity they share, with the batch solver of the engine (oms.domain.routing.batch: column generation,
then a MILP over the plans generated and each order's current plan).

It is proposed first: the dry run changes no order, and is stored with every change it proposes, the
version of each order it read, the objective before and after, and the solver's lower bound of the
joint optimum. Applying the stored proposal moves each order in its own transaction, as a reroute does
(audit event, routing decision `batch:<id>`); an order changed since the proposal, or whose new plan no
longer fits the stock, keeps its allocation and is reported as skipped."""

import datetime as dt
import time
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, Row, insert, select, update

from oms.db.tables import routing_reoptimisations
from oms.domain.allocation import Allocation
from oms.domain.errors import DomainError
from oms.domain.routing.batch import UNIT_PENALTY, reoptimise
from oms.domain.routing.explain import nothing_ships
from oms.domain.routing.model import Attempt, Decision, Plan
from oms.domain.routing.scoring import Scorer
from oms.services import order_actions
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound, ServiceError
from oms.services.order_models import Command
from oms.services.plan_moves import PlanMove
from oms.services.reoptimisation_backlog import Backlog, BacklogOrder, BacklogQuery, read_backlog
from oms.services.routing_config import RoutingConfig, active_config
from oms.services.routing_explanations import decision_data
from oms.services.uow import UnitOfWork

OpenStatus = Literal["allocated", "partially_allocated", "backordered", "on_hold"]


class ReoptimiseCommand(Command):
    """Which open orders to route again together, and how long the solver may take."""

    statuses: list[OpenStatus] = Field(
        default=["allocated", "partially_allocated", "backordered"], min_length=1,
        description="Orders in these statuses (never released, shipped or cancelled ones)",
    )  # fmt: skip
    channel: str | None = Field(default=None, max_length=40)
    node_id: str | None = Field(default=None, max_length=40, description="Only orders allocated at this node")
    created_after: dt.datetime | None = None
    created_before: dt.datetime | None = None
    max_orders: int = Field(default=500, ge=1, le=5000, description="The oldest orders first")
    time_limit_seconds: float = Field(default=30.0, ge=1, le=600)
    comment: str = Field(default="", max_length=1000)


class ShipmentLines(BaseModel):
    node_id: str
    lines: list[tuple[int, str, int]] = Field(description="(line number, SKU, units)")


class ProposedChange(BaseModel):
    order_id: int
    order_version: int = Field(description="The version read; applying skips the order if it changed")
    strategy: str
    current: list[ShipmentLines]
    proposed: list[ShipmentLines]
    current_score: float
    proposed_score: float
    current_units: int
    proposed_units: int
    decision: dict = Field(description="The routing decision stored when the change is applied")


class SkippedOrder(BaseModel):
    order_id: int
    reason: str


class ApplyOutcome(BaseModel):
    applied: list[int] = Field(description="Orders moved to their proposed plan")
    skipped: list[SkippedOrder] = Field(description="Orders left as they were, and why")


class Proposal(BaseModel):
    query: ReoptimiseCommand
    profiles_version: int
    rates_version: int
    orders_considered: int
    orders_left_out: list[SkippedOrder] = Field(description="Open orders the engine cannot route, and why")
    objective_current: float = Field(description="Scores of the current plans plus the penalty per unit unshipped")
    objective_proposed: float
    lower_bound: float | None = Field(description="Proven lower bound of the joint optimum, same terms")
    units_current: int
    units_proposed: int
    solver_status: str
    seconds: float
    changes: list[ProposedChange]


class ReoptimisationPublic(BaseModel):
    id: int
    status: Literal["proposed", "applying", "applied"]
    created_by: str
    created_at: dt.datetime
    comment: str
    proposal: Proposal
    applied_by: str | None
    applied_at: dt.datetime | None
    outcome: ApplyOutcome | None


def propose(uow: UnitOfWork, actor: Actor, cmd: ReoptimiseCommand) -> ReoptimisationPublic:
    """Compute and store a proposal; no order changes."""
    actor.require(Permission.ROUTING_WRITE)
    started = time.perf_counter()
    with uow.reading():  # one snapshot: the orders, stock and capacity agree with each other
        config = active_config(uow.conn)
        backlog = read_backlog(uow.conn, _query(cmd), config)
    proposal = _solve(cmd, backlog, config, started)
    with uow:
        row = uow.conn.execute(
            insert(routing_reoptimisations)
            .values(status="proposed", created_by=actor.name, comment=cmd.comment,
                    proposal=proposal.model_dump(mode="json"))
            .returning(routing_reoptimisations)
        ).one()  # fmt: skip
        uow.record(actor, "routing.reoptimisation_proposed", "routing_reoptimisation", row.id,
                   after={"changes": len(proposal.changes), "objective_current": proposal.objective_current,
                          "objective_proposed": proposal.objective_proposed})  # fmt: skip
        uow.commit()
    return _view(row)


def get_reoptimisation(uow: UnitOfWork, actor: Actor, run_id: int) -> ReoptimisationPublic:
    actor.require(Permission.ROUTING_READ)
    with uow.reading():
        return _view(_row(uow.conn, run_id))


def apply(uow: UnitOfWork, actor: Actor, run_id: int) -> ReoptimisationPublic:
    """Move each order of the proposal to its proposed plan, one transaction per order."""
    actor.require(Permission.ROUTING_WRITE)
    actor.require(Permission.ORDER_REROUTE)
    with uow:
        started = uow.conn.execute(
            update(routing_reoptimisations)
            .where(routing_reoptimisations.c.id == run_id, routing_reoptimisations.c.status != "applied")
            .values(status="applying", applied_by=actor.name)
            .returning(routing_reoptimisations.c.proposal)
        ).first()  # fmt: skip
        if started is None:
            _row(uow.conn, run_id)  # 404 when there is no such run
            raise Conflict(f"re-optimisation {run_id} was applied already")
        uow.commit()
    proposal = Proposal.model_validate(started.proposal)
    outcome = ApplyOutcome(applied=[], skipped=[])
    for change in proposal.changes:
        try:
            order_actions.move_to_plan(uow, actor, change.order_id, _mover(actor, run_id, change, proposal))
            outcome.applied.append(change.order_id)
        except (ServiceError, DomainError) as exc:  # e.g. released since: that order is skipped
            outcome.skipped.append(SkippedOrder(order_id=change.order_id, reason=str(exc)))
    with uow:
        row = uow.conn.execute(
            update(routing_reoptimisations).where(routing_reoptimisations.c.id == run_id)
            .values(status="applied", applied_at=dt.datetime.now(dt.UTC), outcome=outcome.model_dump(mode="json"))
            .returning(routing_reoptimisations)
        ).one()  # fmt: skip
        uow.record(actor, "routing.reoptimisation_applied", "routing_reoptimisation", run_id,
                   after=outcome.model_dump(mode="json"))  # fmt: skip
        uow.commit()
    return _view(row)


def _query(cmd: ReoptimiseCommand) -> BacklogQuery:
    return BacklogQuery(cmd.statuses, cmd.channel, cmd.node_id, cmd.created_after, cmd.created_before,
                        cmd.max_orders)  # fmt: skip


def _solve(cmd: ReoptimiseCommand, backlog: Backlog, config: RoutingConfig, started: float) -> Proposal:
    orders = backlog.orders
    left_out = [SkippedOrder(order_id=o, reason=why) for o, why in backlog.skipped]
    current = [o.current for o in orders]
    units_current = sum(p.units for p in current if p is not None)
    objective_current = sum(_objective(o, o.current) for o in orders)
    if not orders:
        return Proposal(query=cmd, profiles_version=config.profiles_version, rates_version=config.rates_version,
                        orders_considered=0, orders_left_out=left_out, objective_current=0,
                        objective_proposed=0, lower_bound=None, units_current=0, units_proposed=0,
                        solver_status="nothing to re-optimise", seconds=0, changes=[])  # fmt: skip
    outcome = reoptimise(
        [o.job for o in orders], [o.strategy for o in orders], config.rates, backlog.stock, backlog.capacity,
        time_limit=cmd.time_limit_seconds, current=_offered(orders), reliability=config.reliability,
    )  # fmt: skip
    changes = [
        _change(order, plan) for order, plan in zip(orders, outcome.plans, strict=True)
        if _signature(plan) != _signature(order.current)
    ]  # fmt: skip
    return Proposal(
        query=cmd,
        profiles_version=config.profiles_version,
        rates_version=config.rates_version,
        orders_considered=len(orders),
        orders_left_out=left_out,
        objective_current=round(objective_current, 2),
        objective_proposed=round(sum(_objective(o, p) for o, p in zip(orders, outcome.plans, strict=True)), 2),
        lower_bound=None if outcome.bound is None else round(outcome.bound, 2),
        units_current=units_current,
        units_proposed=sum(p.units for p in outcome.plans),
        solver_status=outcome.status,
        seconds=round(time.perf_counter() - started, 3),
        changes=changes,
    )


def _offered(orders: list[BacklogOrder]) -> list[Plan]:
    """Each order's current plan, offered to the solver so it never does worse; shipping nothing for
    an order without one."""
    return [o.current or nothing_ships(o.job.lines, Scorer(o.strategy.objective, [], [])) for o in orders]


def _objective(order: BacklogOrder, plan: Plan | None) -> float:
    ordered = sum(line.quantity for line in order.job.lines)
    units = 0 if plan is None else plan.units
    return (0.0 if plan is None else plan.score) + UNIT_PENALTY * (ordered - units)


def _signature(plan: Plan | None) -> frozenset:
    if plan is None:
        return frozenset()
    return frozenset((s.node_id, sku, q) for s in plan.shipments for _, sku, q in s.lines)


def _shipments(plan: Plan | None) -> list[ShipmentLines]:
    return [] if plan is None else [ShipmentLines(node_id=s.node_id, lines=list(s.lines)) for s in plan.shipments]


def _change(order: BacklogOrder, plan: Plan) -> ProposedChange:
    current = order.current
    why = f"batch re-optimisation: {plan.units} units, score {plan.score:.2f}"
    if current is not None:
        why += f" (was {current.units} units, score {current.score:.2f})"
    decision = Decision(order.strategy.name, plan, (), (Attempt(order.strategy.name, why),))
    return ProposedChange(
        order_id=order.id,
        order_version=order.version,
        strategy=order.strategy.name,
        current=_shipments(current),
        proposed=_shipments(plan),
        current_score=0.0 if current is None else current.score,
        proposed_score=plan.score,
        current_units=0 if current is None else current.units,
        proposed_units=plan.units,
        decision=decision_data(decision),
    )


def _mover(actor: Actor, run_id: int, change: ProposedChange, proposal: Proposal) -> PlanMove:
    picks = [Allocation(line_no, sku, s.node_id, qty) for s in change.proposed for line_no, sku, qty in s.lines]
    return PlanMove(
        actor=actor,
        expected_version=change.order_version,
        picks=picks,
        reason=f"batch:{run_id}",
        strategy=change.strategy,
        profiles_version=proposal.profiles_version,
        rates_version=proposal.rates_version,
        decision=change.decision,
    )


def _row(conn: Connection, run_id: int) -> Row:
    row = conn.execute(select(routing_reoptimisations).where(routing_reoptimisations.c.id == run_id)).first()
    if row is None:
        raise NotFound(f"no re-optimisation {run_id}")
    return row


def _view(row: Row) -> ReoptimisationPublic:
    return ReoptimisationPublic.model_validate(row._mapping)

