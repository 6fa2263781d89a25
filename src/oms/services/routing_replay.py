"""Routing replay: route the recent captured ship orders again under the active profile set and under
candidate sets, changing nothing, and measure each: shipping cost, predicted on-time rate, shipments per
order, units left unshipped, orders whose plan differs from the active set's.

The orders are routed against today's stock, capacity and rates (as the routing simulation does), not
those they met when captured, so the figures compare profile sets with each other, not with history.
Each set routes with the reliability table it pins (none: as routing does today); every set is judged by
one table, `reliability_version`, so their figures are comparable: an order's predicted on-time
probability is the product of its shipments' `table.on_time_given(node, carrier, region, service,
slack)` (the slack its node's plan leaves before the order's promise), and its billed cost the sum
of its quotes times `table.cost_factor(carrier, region, service)`."""

import math
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import Connection

from oms.domain.geo import UnknownCountry
from oms.domain.routing.carrier_choice import slack_days
from oms.domain.routing.model import Plan
from oms.domain.routing.profiles import ProfileSet
from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import ReliabilityTable, region_of
from oms.domain.routing.select import RoutingInput, route_order
from oms.services import routing_config
from oms.services.actor import Actor, Permission
from oms.services.delay_models_store import version_in
from oms.services.errors import NotFound
from oms.services.routing_captured import recent_ship_orders
from oms.services.routing_inputs import UnknownSkus, routing_input
from oms.services.routing_profile_data import pinned_reliability
from oms.services.routing_reliability import RELIABILITY
from oms.services.uow import UnitOfWork

CURRENT = "current"
TODAYS_STOCK = "routed against today's stock, capacity and rates, not those the orders met when captured"


class ReplayFigures(BaseModel):
    orders: int = Field(description="Orders routed")
    total_cost: float = Field(description="The plans' shipping cost, as the rate table quotes it")
    cost_per_order: float
    billed_cost: float = Field(description="The quotes times what each lane's carrier bills per unit quoted")
    on_time_rate: float = Field(description="Mean predicted on-time probability of the orders that ship")
    shipments_per_order: float
    unshipped_units: int = Field(description="Units no plan ships (backordered or no plan)")
    changed_orders: int = Field(description="Orders whose plan differs from the active profile set's")


class ReplayReport(BaseModel):
    since: datetime
    until: datetime
    orders: int = Field(description="Ship orders replayed (the newest first, up to the maximum)")
    skipped: int = Field(description="Orders that could not be routed again (an unknown SKU or country)")
    profiles_version: int = Field(description="The active profiles version, replayed as `current`")
    rates_version: int
    reliability_version: int = Field(description="The reliability table every set is judged by")
    note: str = TODAYS_STOCK
    figures: dict[str, ReplayFigures] = Field(description="`current` and each candidate, by name")


def replay_profiles(uow: UnitOfWork, actor: Actor, candidates: Mapping[str, ProfileSet], reliability_version: int,
                    days: int = 14, max_orders: int = 500, now: datetime | None = None) -> ReplayReport:  # fmt: skip
    """Route the ship orders created in the last `days` (at most `max_orders`, newest first) under the
    active profile set and each candidate; 404 when the judging table version does not exist."""
    actor.require(Permission.ROUTING_READ)
    until = now or datetime.now(UTC)
    since = until - timedelta(days=days)
    with uow.reading():
        judge = _table(uow.conn, reliability_version)
        config = routing_config.active_config(uow.conn)
        drafts = recent_ship_orders(uow.conn, since, until, max_orders, actor.channel_id)
        jobs = _jobs(uow.conn, drafts, datetime.now(UTC))
        sets = {CURRENT: (config.profiles, config.reliability)}
        sets |= {name: (p, pinned_reliability(uow.conn, p)) for name, p in candidates.items()}
    plans = {name: _plans(jobs, p, t, config.rates) for name, (p, t) in sets.items()}
    figures = {name: _figures(jobs, found, plans[CURRENT], judge) for name, found in plans.items()}
    return ReplayReport(since=since, until=until, orders=len(jobs), skipped=len(drafts) - len(jobs),
                        profiles_version=config.profiles_version, rates_version=config.rates_version,
                        reliability_version=reliability_version, figures=figures)  # fmt: skip


def _table(conn: Connection, version: int) -> ReliabilityTable:
    found = version_in(conn, RELIABILITY, version, ReliabilityTable.from_bytes)
    if found is None:
        raise NotFound(f"no routing reliability table version {version}")
    return found[1]


def _jobs(conn: Connection, drafts, at: datetime) -> list[tuple[RoutingInput, str]]:
    """Each order's routing input (read once, routed under every set) and its destination region."""
    jobs = []
    for _, draft in drafts:
        # Replayed as if placed now, each order is promised what its plan delivers: the promise it was
        # given was for another day's dates, and against it every plan routed today looks early.
        draft = replace(draft, promised_delivery_date=None)
        try:
            jobs.append((routing_input(conn, draft, at), region_of(draft.country, draft.postal_code)))
        except (UnknownSkus, UnknownCountry):  # a SKU or an area removed since: not a profile's doing
            continue
    return jobs


def _plans(jobs, profiles: ProfileSet, table: ReliabilityTable | None, rates: RateTable) -> list[Plan | None]:
    return [route_order(job, profiles, rates, reliability=table).plan for job, _ in jobs]


def _figures(
    jobs, plans: list[Plan | None], baseline: list[Plan | None], judge: ReliabilityTable
) -> ReplayFigures:
    n = max(len(plans), 1)
    cost = sum(s.cost for p in plans if p for s in p.shipments)
    billed = sum(_billed(p, job, region, judge) for p, (job, region) in zip(plans, jobs, strict=True) if p)
    on_time = [_on_time(p, job, region, judge) for p, (job, region) in zip(plans, jobs, strict=True)
               if p and p.shipments]  # fmt: skip
    ordered = sum(line.quantity for job, _ in jobs for line in job.lines)
    return ReplayFigures(
        orders=len(plans), total_cost=round(cost, 2), cost_per_order=round(cost / n, 4), billed_cost=round(billed, 2),
        on_time_rate=round(sum(on_time) / max(len(on_time), 1), 4),
        shipments_per_order=round(sum(len(p.shipments) for p in plans if p) / n, 4),
        unshipped_units=ordered - sum(p.units for p in plans if p),
        changed_orders=sum(_key(p) != _key(b) for p, b in zip(plans, baseline, strict=True)),
    )  # fmt: skip


def _on_time(plan: Plan, job: RoutingInput, region: str, judge: ReliabilityTable) -> float:
    """The product of the shipments' P(on time), each given the slack its node's plan leaves."""
    service, promised = job.order.service_level, job.order.promised_delivery_date
    planned = {c.id: c.delivery_date for c in job.candidates}
    return math.prod(
        judge.on_time_given(
            s.node_id, s.carrier, region, service, slack_days(planned.get(s.node_id), promised)
        )
        for s in plan.shipments
    )


def _billed(plan: Plan, job: RoutingInput, region: str, judge: ReliabilityTable) -> float:
    service = job.order.service_level
    return sum(s.cost * judge.cost_factor(s.carrier, region, service) for s in plan.shipments)


def _key(plan: Plan | None) -> frozenset:
    return frozenset() if plan is None else frozenset((s.node_id, s.carrier, s.lines) for s in plan.shipments)
