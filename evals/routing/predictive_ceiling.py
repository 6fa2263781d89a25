"""A ceiling, not a method: the hidden truth written as a reliability table (each node x carrier x region
cell at the region's city, with its true delay distribution, as if learnt from endless history), so the simulation can tell what the
criterion could gain with a perfect table from what the learnt table gains. It breaks the rule that
nothing hidden reaches the router: its figures are printed apart, never judged by the acceptance."""

from dataclasses import replace

from evals.routing.instances import CITIES, POSTAL, Instance
from evals.routing.predictive_world import CARRIER_BASE, Hidden, parcel
from oms.domain.geo import Point
from oms.domain.promise_model import Destination
from oms.domain.routing.model import PlannedShipment
from oms.domain.routing.reliability import DELAYS, Cell, ReliabilityTable, region_of

ENDLESS = 1_000_000  # shipments a truth cell claims: no shrinkage touches it


def truth_table(world: Instance, hidden: Hidden, service: str = "standard") -> ReliabilityTable:
    nodes = {n.id: n for n in world.nodes}
    order = world.orders[0]
    cells = {}
    for city, postal in POSTAL.items():
        country, lat, lon, _ = CITIES[city]
        region = region_of(country, postal)
        facts = replace(order.facts, destination_region=region)
        there = replace(order, facts=facts, destination=Destination(country, Point(lat, lon)))
        for node in world.nodes:
            for carrier in CARRIER_BASE:
                p = parcel(hidden, nodes, there, PlannedShipment(node.id, carrier, (), 0.0, 0.0, 0))
                cdf = tuple(p.delay_at_most(d) for d in DELAYS)
                cells[(node.id, carrier, region, service)] = _cell(p.p_on_time(), p.planned_transit, cdf)
    return ReliabilityTable(_cell(1.0, 2), {}, cells, {})


def _cell(on_time: float, transit: int, delay_cdf: tuple[float, ...] = ()) -> Cell:
    return Cell(ENDLESS, on_time, float(transit), transit, transit, delay_cdf=delay_cdf)
