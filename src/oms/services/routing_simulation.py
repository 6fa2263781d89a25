"""Routing simulation: run the active routing profiles, or a profile set being drafted, on given orders
or on orders already captured, against today's stock, capacity and rates, changing nothing. Each
answer is the decision with its explanation: every candidate node, why it was filtered out or how it
scores, the chosen plan and the strategies tried."""

import datetime as dt
import time
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from oms.domain.geo import UnknownCountry
from oms.domain.routing.profiles import ProfileSet
from oms.domain.routing.reliability import ReliabilityTable
from oms.domain.routing.select import route_order
from oms.services import rate_tables, routing_profiles
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.order_models import Country, ServiceLevel, Sku
from oms.services.rate_table_data import to_rate_table
from oms.services.routing_captured import captured_draft, orders_by_id
from oms.services.routing_explanations import RoutingDecisionPublic, decision_public
from oms.services.routing_inputs import OrderDraft, UnknownSkus, routing_input
from oms.services.routing_profile_data import pinned_reliability, validate_profiles
from oms.services.uow import UnitOfWork

MAX_ORDERS = 200


class SimulatedLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: Sku
    quantity: int = Field(gt=0, le=100_000)
    unit_price: Decimal = Field(default=Decimal(0), ge=0)


class SimulatedDestination(BaseModel):
    model_config = ConfigDict(extra="forbid")
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    country: Country


class SimulatedOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")
    channel: Annotated[str, Field(min_length=1, max_length=40)]
    destination: SimulatedDestination
    service_level: ServiceLevel = "standard"
    customer_email: str | None = Field(default=None, max_length=320, description="For the customer's tier")
    promised_delivery_date: dt.date | None = None
    lines: list[SimulatedLine] = Field(min_length=1, max_length=100)


class SimulateRouting(BaseModel):
    """Orders to route: given (`orders`), captured (`order_ids`), or both."""

    model_config = ConfigDict(extra="forbid")
    orders: list[SimulatedOrder] = Field(default=[], max_length=MAX_ORDERS)
    order_ids: list[int] = Field(default=[], max_length=MAX_ORDERS)
    profiles: Any = Field(default=None, description="A profile set to try instead of the active one")
    at: dt.datetime | None = Field(default=None, description="Routing time (delivery dates); now by default")

    @model_validator(mode="after")
    def _some_orders(self) -> "SimulateRouting":
        if not self.orders and not self.order_ids:
            raise ValueError("give orders, order_ids or both")
        return self


class SimulatedDecision(BaseModel):
    order_id: int | None = Field(description="The captured order routed, if any")
    index: int | None = Field(description="The position of the given order routed, if any")
    decision: RoutingDecisionPublic
    decision_ms: float = Field(description="Time the engine took to decide")


class SimulationResult(BaseModel):
    profiles_version: int | None = Field(description="The active version routed with; none for a draft")
    rates_version: int
    decisions: list[SimulatedDecision]


def simulate_routing(uow: UnitOfWork, actor: Actor, cmd: SimulateRouting) -> SimulationResult:
    actor.require(Permission.ROUTING_READ)
    profiles, profiles_version = _profiles(uow, actor, cmd.profiles)
    rates = rate_tables.get_active_rates(uow, actor)
    rate_table = to_rate_table(rates.rates)
    at = cmd.at or dt.datetime.now(dt.UTC)
    decisions = []
    with uow.reading():
        reliability = _pinned(uow, profiles, drafted=cmd.profiles is not None)
        jobs = [(None, i, _draft(o)) for i, o in enumerate(cmd.orders)] + _captured(uow, actor, cmd.order_ids)
        errors = []
        for order_id, index, draft in jobs:
            try:
                job = routing_input(uow.conn, draft, at)
            except (UnknownSkus, UnknownCountry) as exc:
                errors.append(_input_error(order_id, index, draft, exc))
                continue
            started = time.perf_counter()
            decision = route_order(job, profiles, rate_table, reliability=reliability)
            ms = round((time.perf_counter() - started) * 1000, 3)
            decisions.append(SimulatedDecision(order_id=order_id, index=index, decision=decision_public(decision),
                                               decision_ms=ms))  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    return SimulationResult(
        profiles_version=profiles_version, rates_version=rates.version, decisions=decisions
    )


def _profiles(uow: UnitOfWork, actor: Actor, draft: Any) -> tuple[ProfileSet, int | None]:
    if draft is None:
        active = routing_profiles.get_active_profiles(uow, actor)
        return active.profiles, active.version
    try:
        return validate_profiles(draft), None
    except ValidationFailed as exc:
        raise _in_profiles(exc) from None


def _pinned(uow: UnitOfWork, profiles: ProfileSet, drafted: bool) -> ReliabilityTable | None:
    """The reliability table the profiles pin; a draft pinning a version never learnt is refused."""
    try:
        return pinned_reliability(uow.conn, profiles)
    except ValidationFailed as exc:
        raise _in_profiles(exc) if drafted else exc from None


def _in_profiles(exc: ValidationFailed) -> ValidationFailed:
    return ValidationFailed([FieldError(("profiles", *e.path), e.message, e.code) for e in exc.errors])


def _draft(order: SimulatedOrder) -> OrderDraft:
    return OrderDraft(
        order.channel, order.destination.postal_code, order.destination.country, order.service_level,
        [(line.sku, line.quantity, line.unit_price) for line in order.lines], order.customer_email,
        order.promised_delivery_date,
    )  # fmt: skip


def _captured(uow: UnitOfWork, actor: Actor, ids: list[int]) -> list[tuple[int, None, OrderDraft]]:
    if not ids:
        return []
    rows = orders_by_id(uow.conn, ids)
    visible = {i for i, r in rows.items() if actor.channel_id in (None, r.channel_id)}
    if missing := [i for i in ids if i not in visible]:
        raise NotFound(f"no order {', '.join(map(str, missing))}")
    return [(i, None, captured_draft(rows[i])) for i in ids]


def _input_error(order_id: int | None, index: int | None, draft: OrderDraft, exc: Exception) -> FieldError:
    where: tuple = ("order_ids", order_id) if order_id is not None else ("orders", index)
    if isinstance(exc, UnknownCountry):
        return FieldError((*where, "destination", "country"), str(exc), "unknown")
    return FieldError((*where, "lines"), str(exc), "unknown_sku")
