"""Small builders for routing tests: nodes, rate cards, orders and strategies with sensible defaults."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from oms.domain.geo import Point
from oms.domain.promise_model import Destination
from oms.domain.routing.model import Candidate, OrderFacts, OrderLine
from oms.domain.routing.profiles import Objective, Strategy
from oms.domain.routing.rates import RateCard, RateTable
from oms.domain.routing.select import RoutingInput

PARIS = Destination("FR", Point(48.857, 2.352))
LYON = Point(45.76, 4.84)  # about 390 km from Paris
ORLEANS = Point(47.90, 1.91)  # about 110 km
KOELN = Point(50.94, 6.96)  # about 400 km, across the border
PROMISED = date(2026, 3, 13)


def node(
    node_id,
    *,
    type="warehouse",
    country="FR",
    at=LYON,
    priority=100,
    stock=None,
    daily=100,
    remaining=100,
    transit=2,
    delivery=None,
    types=None,
) -> Candidate:
    types = types or (("ship_from_store", "pickup") if type == "store" else ("ship",))
    return Candidate(node_id, type, country, at, priority, frozenset(types), daily, remaining,
                     dict(stock if stock is not None else {"A": 10}), transit, delivery)  # fmt: skip


def card(
    carrier="post",
    *,
    origin=None,
    dest=None,
    band=None,
    breaks=((5, 5.0), (30, 9.0)),
    base=0.0,
    over=0.0,
    service="standard",
) -> RateCard:
    return RateCard(carrier, service, origin, dest, band, tuple(breaks), base, over)


FLAT = RateTable([card(breaks=((1000, 5.0),))])  # every shipment anywhere costs 5


def order(**changes) -> OrderFacts:
    return replace(OrderFacts("web", "FR", "standard", "standard", Decimal(100)), **changes)


def lines(*skus_and_qty, weight=1.0) -> list[OrderLine]:
    return [OrderLine(i, sku, qty, weight) for i, (sku, qty) in enumerate(skus_and_qty, start=1)]


def strategy(**fields) -> Strategy:
    return Strategy.model_validate({"name": "s"} | fields)


def job(candidates, order_lines=None, facts=None, destination=PARIS) -> RoutingInput:
    return RoutingInput(facts or order(), order_lines or lines(("A", 1)), destination, candidates)


def random_strategy(rng, weights: list[float]) -> Strategy:
    """A strategy with each objective weight drawn from `weights`, a split limit, and any policy."""
    objective = Objective(**{name: rng.choice(weights) for name in Objective.model_fields})
    split_lines = rng.random() < 0.5
    return Strategy(
        name="s",
        objective=objective,
        max_split=rng.randint(2 if split_lines else 1, 3),
        allow_line_split=split_lines,
        partial_fulfilment=rng.choice(["ship_complete", "ship_available_backorder_rest"]),
    )
