"""The hidden reliability of the predictive routing simulation: what the network actually does, which the
rules (and the router) never see. Only delivered outcomes drawn from it reach routing, through a learnt
`ReliabilityTable`.

A parcel is planned as the rules plan it: the node's processing days plus the instance's transit (1 day
within 150 km, 2 within 500 km, 3 beyond, a day more across a border), promised three days after the
order. Two independent causes delay it:

- hand-over: a share of a node's parcels miss the day's pick-up (+1 day). Most warehouses are steady
  (1-4%), about one in three struggles (10-20%: short-staffed, a late wave plan); 3PLs 4-14%; stores
  5-30%, since they pick between customers and their pick-up comes early;
- the carrier's lane: each carrier delays a base share of its parcels by a day (parcelco 5%, expressline
  3%), 6 points more across a border (a hub transfer); a depot is congested on 20% of the carrier x
  region lanes, where 30-50% more of the parcels are late, half of them by two days (its backlog carries
  over). The carriers' prices are the benchmark's: which one is cheaper depends on the weight and the
  lane, so the cheaper one is sometimes the one with the congested depot, often not.

Weekends are not modelled (orders are placed on working days and transit counts as the instance counts
it). A parcel is on time when planned days + delays <= the promise; an order when it ships in full and
every parcel is on time. Parcels are independent, so the expected on-time rate is exact.

`Hidden.lateness` scales every delay rate above (1.0: as drawn). The simulation sets it so that the rules'
history is as late as a target (predictive_calibration), keeping which nodes and lanes are worse."""

import random
from dataclasses import dataclass

from evals.routing.instances import CARRIERS, CITIES, POSTAL, Instance, Node, Order, transit_days
from oms.domain.routing.model import PlannedShipment
from oms.domain.routing.reliability import region_of

PROMISE_DAYS = 3  # instances promise every order three days after it is placed
HANDOVER = {"warehouse": ((0.7, 0.01, 0.04), (0.3, 0.10, 0.20)), "3pl": ((1.0, 0.04, 0.14),),
            "store": ((1.0, 0.05, 0.30),)}  # type: (share, low, high) of the miss rate  # fmt: skip
CARRIER_BASE = {"parcelco": 0.05, "expressline": 0.03}
CROSS_BORDER = 0.06
CONGESTED_SHARE, CONGESTION = 0.2, (0.3, 0.5)
TWO_DAYS = 0.5  # share of a congested depot's delays that last two days


@dataclass(frozen=True, slots=True)
class Hidden:
    handover: dict[str, float]  # node id -> share of its parcels handed over a day late
    congestion: dict[tuple[str, str], float]  # (carrier, region) -> extra share delayed (1 or 2 days)
    lateness: float = 1.0  # every delay rate scaled by it


def hidden_world(inst: Instance, seed: int) -> Hidden:
    """The hidden figures of `inst`'s nodes and of every carrier x region lane."""
    rng = random.Random(f"hidden-{seed}")
    handover = {n.id: _miss_rate(rng, HANDOVER[n.type]) for n in inst.nodes}
    regions = sorted({region_of(CITIES[city][0], postal) for city, postal in POSTAL.items()})
    congestion = {(c, r): _congestion(rng) for c in sorted(CARRIERS) for r in regions}
    return Hidden(handover, congestion)


def _miss_rate(rng: random.Random, profiles) -> float:
    _, low, high = rng.choices(profiles, weights=[p[0] for p in profiles])[0]
    return rng.uniform(low, high)


def _congestion(rng: random.Random) -> float:
    congested = rng.random() < CONGESTED_SHARE
    return rng.uniform(*CONGESTION) if congested else 0.0


Delays = tuple[float, ...]  # probability of 0, 1, 2... days of delay


@dataclass(frozen=True, slots=True)
class Parcel:
    """One shipment as the hidden mechanism sees it."""

    node: Node
    carrier: str
    region: str
    planned_transit: int
    slack: int  # days the promise leaves beyond the planned delivery (negative: planned late)
    handover: Delays
    lane: Delays

    def p_on_time(self) -> float:
        return self.delay_at_most(self.slack)

    def delay_at_most(self, days: int) -> float:
        """P(hand-over delay + lane delay <= days), the two independent."""
        return sum(
            ph * pl for h, ph in enumerate(self.handover) for d, pl in enumerate(self.lane) if h + d <= days
        )


def parcel(hidden: Hidden, nodes: dict[str, Node], order: Order, shipment: PlannedShipment) -> Parcel:
    node = nodes[shipment.node_id]
    region = order.facts.destination_region
    transit = transit_days(node, order.destination)
    one_day = CARRIER_BASE[shipment.carrier] + CROSS_BORDER * (node.country != order.destination.country)
    congested = hidden.congestion.get((shipment.carrier, region), 0.0)
    one_day, two_days = _scaled(hidden.lateness, one_day + congested * (1 - TWO_DAYS), congested * TWO_DAYS)
    slack = PROMISE_DAYS - node.processing_days - transit
    (miss,) = _scaled(hidden.lateness, hidden.handover[node.id])
    return Parcel(
        node,
        shipment.carrier,
        region,
        transit,
        slack,
        (1 - miss, miss),
        (1 - one_day - two_days, one_day, two_days),
    )


def _scaled(lateness: float, *rates: float) -> tuple[float, ...]:
    """`rates` (shares of one cause's outcomes) times `lateness`, shrunk together to leave 5% on time."""
    scaled = [lateness * r for r in rates]
    room = 0.95 / max(sum(scaled), 0.95)
    return tuple(r * room for r in scaled)


def days(u, delays: Delays):
    """The delay (in days) uniform(s) `u` draw from `delays`: a number, or an array of them."""
    cumulative, total = [], 0.0
    for p in delays[:-1]:
        total += p
        cumulative.append(total)
    return sum((u >= c) * 1 for c in cumulative)


def draw(rng: random.Random, p: Parcel) -> tuple[int, int]:
    """(hand-over delay, lane delay) in days for one parcel."""
    return days(rng.random(), p.handover), days(rng.random(), p.lane)
