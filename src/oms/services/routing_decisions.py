"""Stored routing decisions: every routing of an order, at capture or later, with its explanation and
the profile and rate versions it was decided with."""

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.domain.routing.model import Decision
from oms.services.actor import Actor, Permission
from oms.services.errors import NotFound
from oms.services.routing_config import RoutingConfig
from oms.services.routing_explanations import RoutingDecisionPublic, decision_data
from oms.services.uow import UnitOfWork


class RoutingDecisionRecord(BaseModel):
    id: int
    order_id: int
    reason: str = Field(description="What routed the order: capture, reroute, batch, ...")
    actor: str = Field(description="Who or what asked for it")
    profiles_version: int = Field(description="Routing profiles version decided with; 0 is the built-in set")
    rates_version: int = Field(description="Rate table version decided with; 0 is the built-in table")
    created_at: dt.datetime
    decision: RoutingDecisionPublic


_ORDER = text("SELECT channel_id FROM orders WHERE id = :id")
_DECISIONS = text(
    """
    SELECT id, order_id, reason, actor, profiles_version, rates_version, created_at, decision
    FROM routing_decisions WHERE order_id = :id ORDER BY id DESC LIMIT :limit
    """
)
_INSERT = text(
    """
    INSERT INTO routing_decisions (order_id, reason, actor, strategy, profiles_version, rates_version, decision)
    VALUES (:order_id, :reason, :actor, :strategy, :profiles_version, :rates_version, CAST(:decision AS jsonb))
    """
)


def routing_decisions(uow: UnitOfWork, actor: Actor, order_id: int, limit: int = 1) -> list[RoutingDecisionRecord]:
    """The order's decisions, newest first; 404 when the order is not visible or was never routed."""
    actor.require(Permission.ORDER_READ)
    with uow.reading():
        channel = uow.conn.execute(_ORDER, {"id": order_id}).scalar()
        if channel is None or actor.channel_id not in (None, channel):
            raise NotFound(f"no order {order_id}")
        rows = uow.conn.execute(_DECISIONS, {"id": order_id, "limit": limit}).mappings().all()
    if not rows:
        raise NotFound(f"order {order_id} has no routing decision")
    return [RoutingDecisionRecord.model_validate(r) for r in rows]


def record_decision(
    conn: Connection, order_id: int, reason: str, actor: Actor, config: RoutingConfig, decision: Decision
) -> None:
    """Store a decision made outside capture (which writes its own within its single statement)."""
    conn.execute(_INSERT, decision_params(actor, config, decision) | {"order_id": order_id, "reason": reason})


def insert_decision(conn: Connection, order_id: int, reason: str, actor: Actor, strategy: str | None,
                    profiles_version: int, rates_version: int, decision: dict) -> None:
    """Store a decision already in its stored form (routing_explanations.decision_data)."""
    params = _params(actor, strategy, profiles_version, rates_version, decision)
    conn.execute(_INSERT, params | {"order_id": order_id, "reason": reason})


def decision_params(actor: Actor, config: RoutingConfig, decision: Decision) -> dict:
    """The decision's columns, as parameters of a statement that inserts it (see _INSERT)."""
    return _params(actor, decision.strategy, config.profiles_version, config.rates_version,
                   decision_data(decision))  # fmt: skip


def decision_row(actor: Actor, config: RoutingConfig, decision: Decision) -> dict:
    """The decision's columns as one JSON-ready row (capture writes its orders' rows as JSON)."""
    return _row(actor, decision.strategy, config.profiles_version, config.rates_version, decision_data(decision))


def _params(actor: Actor, strategy: str | None, profiles_version: int, rates_version: int, data: dict) -> dict:
    row = _row(actor, strategy, profiles_version, rates_version, data)
    return row | {"decision": dumps_json(data)}


def _row(actor: Actor, strategy: str | None, profiles_version: int, rates_version: int, data: dict) -> dict:
    return {"actor": actor.name, "strategy": strategy, "profiles_version": profiles_version,
            "rates_version": rates_version, "decision": data}  # fmt: skip
