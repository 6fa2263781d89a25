"""Each shipment's carrier when a profile set routes with a reliability table: the one minimising its
weighted cost plus its weighted predicted lateness (late_risk x (1 - P(on time)) + predicted_transit_days
x predicted mean transit days), so a reliable dearer carrier wins when lateness weighs enough.

The odds of each carrier of a route do not depend on the shipment's weight, so they are read from the
table once per route; what remains per shipment is a few multiplications, memoised on (route, weight).
A shipment's value never falls as it grows (prices never fall with weight, odds are fixed), so the search's
bounds hold on it as on a carrier's price.

A carrier's price is what the rate table quotes times what the carrier bills per unit quoted on the lane
(the table's `cost_factor`: surcharges, re-weighing), so a carrier billing 20% over its quote loses to one
quoted 10% dearer; a shipment's cost stays the quote.

P(on time) is asked given the slack the node's planned delivery leaves before the order's promise
(oms.domain.routing.reliability_delays): a node planned for the promise day is on time only if nothing
slips, one planned earlier absorbs most slips."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from oms.domain.routing.filters import Route
from oms.domain.routing.model import OrderFacts
from oms.domain.routing.profiles import Objective
from oms.domain.routing.rates import Lane, RateCard
from oms.domain.routing.reliability import ReliabilityTable, signed_business_days


@dataclass(frozen=True, slots=True)
class Outlook:
    """What predictions apply to an order: the pinned table, the destination region and service level."""

    table: ReliabilityTable
    region: str
    service_level: str
    promised: date | None = None  # the order's promised delivery date: what a plan's slack is counted to


def outlook_of(order: OrderFacts, table: ReliabilityTable | None) -> Outlook | None:
    if table is None:
        return None
    return Outlook(table, order.destination_region, order.service_level, order.promised_delivery_date)


def slack_days(planned: date | None, promised: date | None) -> int | None:
    """Business days a plan delivering on `planned` leaves before `promised` (< 0: planned late). An order
    captured without a promise is promised the plan routing chooses: no slack. None when the plan's date
    is unknown (the unconditional rate applies)."""
    if planned is None:
        return None
    return 0 if promised is None else signed_business_days(planned, promised)


@dataclass(frozen=True, slots=True)
class Odds:
    card: RateCard
    on_time: float
    transit_mean: float
    lateness: float  # late_risk x (1 - on_time) + predicted_transit_days x transit_mean, in currency
    cost_factor: float = 1.0  # charged / quoted on the lane


@dataclass(frozen=True, slots=True)
class Choice:
    carrier: str
    cost: float  # the quote
    billed: float  # the quote times the carrier's cost factor: what the score counts as shipping cost
    value: float  # weighted cost plus lateness: what the shipment adds to the score
    on_time: float
    transit_mean: float


class CarrierChoice:
    def __init__(self, objective: Objective, routes: Sequence[Route], outlook: Outlook):
        self.w = objective
        self.odds = [self._odds(route, outlook) for route in routes]
        billed_as_quoted = all(o.cost_factor == 1.0 for odds in self.odds for o in odds)
        self.weighs = objective.late_risk > 0 or objective.predicted_transit_days > 0 or not billed_as_quoted
        self.entry = [min(self._value(o, 0.0) for o in odds) for odds in self.odds]
        self._bounds = [
            (_span(o.lateness for o in odds), _span(o.cost_factor for o in odds)) for odds in self.odds
        ]
        self._memo: dict[tuple[int, float], Choice] = {}

    def _odds(self, route: Route, outlook: Outlook) -> tuple[Odds, ...]:
        table, node, region, service = outlook.table, route.node.id, outlook.region, outlook.service_level
        late_risk, transit = self.w.late_risk, self.w.predicted_transit_days
        slack = slack_days(route.node.delivery_date, outlook.promised)
        odds = []
        for card in route.lane.cards:
            p, days, factor = table.prediction(node, card.carrier, region, service, slack)
            odds.append(Odds(card, p, days, late_risk * (1 - p) + transit * days, factor))
        return tuple(odds)

    def _value(self, odds: Odds, weight_kg: float) -> float:
        return self.w.shipping_cost * odds.card.price(weight_kg) * odds.cost_factor + odds.lateness

    def choose(self, r: int, weight_kg: float) -> Choice:
        """The best carrier for a shipment of `weight_kg` from route `r`; ties go to the cheaper, then
        to the carrier's name, so without weights on lateness it is the cheapest carrier, as a lane's quote."""
        key = (r, weight_kg)
        known = self._memo.get(key)
        if known is None:
            best = min(
                self.odds[r],
                key=lambda o: (self._value(o, weight_kg), o.card.price(weight_kg), o.card.carrier),
            )
            value, cost = self._value(best, weight_kg), best.card.price(weight_kg)
            known = self._memo[key] = Choice(best.card.carrier, cost, cost * best.cost_factor, value,
                                             best.on_time, best.transit_mean)  # fmt: skip
        return known

    def no_dearer(self, d: int, r: int, lane_d: Lane, lane_r: Lane) -> bool:
        """True when a shipment from route `d` never scores more than one from `r`, at any weight: on the
        same lane, when carrier by carrier it is predicted no later; on another, when that lane never
        costs more (each of r's cards is matched by one of d's never dearer) and d's latest carrier is no
        later, and bills no more over its quotes, than r's most punctual and most honest one."""
        if lane_d is lane_r:
            return all(a.lateness <= b.lateness for a, b in zip(self.odds[d], self.odds[r], strict=True))
        (late_d, factor_d), (late_r, factor_r) = self._bounds[d], self._bounds[r]
        if late_d[1] > late_r[0]:
            return False
        return not self.w.shipping_cost or (factor_d[1] <= factor_r[0] and lane_d.at_most(lane_r))


def _span(values) -> tuple[float, float]:
    values = list(values)
    return min(values), max(values)
