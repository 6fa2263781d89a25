"""Learning the reliability table from delivered shipments. A thin cell leans on its parent: its on-time
rate is Beta-Binomial shrunk with PSEUDO pseudo-shipments at the parent's rate, its transit distribution
Dirichlet shrunk the same way (carrier x region x service -> carrier x service -> carrier -> network; a
full node cell toward its lane with the node's odds ratio applied; a node's on-time rate toward the one
its lanes predict for it, its other rates toward the network's). What carriers bill against what they
were quoted (charged / quoted, averaged per shipment) is shrunk along the same lane levels, with
COST_PSEUDO pseudo-shipments, the network's toward 1.0 (billed as quoted)."""

from collections import Counter, defaultdict

from oms.domain.routing.reliability import Cell, DeliveryFact, NodeReliability, ReliabilityTable, on_time_odds
from oms.domain.routing.reliability_delays import Cdf, cdf_toward, clipped, with_odds_ratio

# A cell of 20 shipments weighs as much as its parent; one of 3,000 barely notices it. Measured on the
# demo (a random third held out, three draws): 5 overfits the thin postal regions (log loss 0.429 against
# 0.416 for each carrier's rate); 20 ranks best (AUC 0.561-0.572 against 0.531-0.547) with a log loss
# within 0.004 of the carriers' rates; 40 is a hair better calibrated but blunts real lane effects
# (Colissimo's 20 parcels into Corsica would read 81% on time, the network being 85%).
PSEUDO = 20.0
# A node's odds ratio applies to every lane it ships on, and odds swing wide near certainty (7 parcels all
# on time would make a node 2.5 times as good): it needs at least as much evidence as a cell.
NODE_PSEUDO = 20.0
# Billing ratios vary far less than on-time coin flips (a surcharge applies to every parcel of a lane), so
# fewer pseudo-shipments do. Measured on the demo (a third held out, three draws; mean error of quote x
# factor against the bill): 0.5 gives 0.087-0.090, 2 gives 0.089-0.091, 5 gives 0.091-0.093, 20 gives
# 0.099-0.102 (into Corsica 1.09-1.20, 1.14-1.26, 1.29-1.35, 1.82-1.86). The demo bills without noise, so
# its best is the least shrinkage; 2 keeps one re-weighed parcel from setting a lane's ratio alone.
COST_PSEUDO = 2.0
Transit = dict[int, float]  # business days -> probability


class _Stats:
    """Counts of one group of facts."""

    def __init__(self) -> None:
        self.n, self.on_time, self.short, self.late_handover = 0, 0, 0, 0
        self.transit: Counter[int] = Counter()
        self.costed, self.ratio_sum = 0, 0.0
        self.delays: Counter[int] = Counter()  # of the parcels whose planned delivery is known

    def add(self, fact: DeliveryFact) -> None:
        self.n, self.on_time = self.n + 1, self.on_time + fact.on_time
        self.short, self.late_handover = (
            self.short + fact.short_picked,
            self.late_handover + fact.late_handover,
        )
        self.transit[fact.transit_days] += 1
        if fact.delay_days is not None:
            self.delays[clipped(fact.delay_days)] += 1
        if fact.quoted_cost and fact.charged_cost is not None:  # a free quote says nothing of a ratio
            self.costed += 1
            self.ratio_sum += fact.charged_cost / fact.quoted_cost

    def rate(self, count: int, prior: float, pseudo: float = PSEUDO) -> float:
        return (count + pseudo * prior) / (self.n + pseudo)

    def cost_ratio(self, prior: float) -> float:
        return (self.ratio_sum + COST_PSEUDO * prior) / (self.costed + COST_PSEUDO)

    def transit_toward(self, prior: Transit) -> Transit:
        days = self.transit.keys() | prior.keys()
        return {d: (self.transit[d] + PSEUDO * prior.get(d, 0.0)) / (self.n + PSEUDO) for d in days}


def learn_reliability(facts: list[DeliveryFact]) -> ReliabilityTable:
    """The table of `facts`; ValueError when there is none."""
    if not facts:
        raise ValueError("no delivered shipment to learn from")
    lanes, nodes, cells, node_types = _grouped(facts)
    root = lanes.pop(())
    network_transit = {d: c / root.n for d, c in root.transit.items()}
    network = _cell(
        root, root.on_time / root.n, network_transit, root.cost_ratio(1.0), cdf_toward(root.delays, (), 0)
    )
    lane_cells, lane_transit = _lanes(lanes, network, network_transit)
    expected = _expected_on_time(facts, lane_cells)
    table = ReliabilityTable(network, lane_cells, {}, _nodes(nodes, node_types, root, expected))
    for key, stats in cells.items():
        transit = stats.transit_toward(lane_transit.get(key[1:], network_transit))
        lane = table.lane(*key[1:])
        on_time = stats.rate(stats.on_time, table.prior_on_time(*key))
        delays = cdf_toward(
            stats.delays, with_odds_ratio(lane.delay_cdf, table.nodes[key[0]].lane_odds_ratio), PSEUDO
        )
        table.cells[key] = _cell(stats, on_time, transit, lane.cost_ratio, delays)
    return table


def _grouped(facts: list[DeliveryFact]):
    """The facts counted per lane level (the network as ()), per node and per full cell."""
    lanes: dict[tuple, _Stats] = defaultdict(_Stats)
    nodes: dict[str, _Stats] = defaultdict(_Stats)
    cells: dict[tuple, _Stats] = defaultdict(_Stats)
    node_types = {}
    for f in facts:
        for key in ((), (f.carrier,), (f.carrier, f.service_level), (f.carrier, f.region, f.service_level)):
            lanes[key].add(f)
        nodes[f.node_id].add(f)
        cells[(f.node_id, f.carrier, f.region, f.service_level)].add(f)
        node_types[f.node_id] = f.node_type
    return lanes, nodes, cells, node_types


def _lanes(lanes: dict[tuple, _Stats], network: Cell, network_transit: Transit):
    """Each lane level shrunk toward the one above it, broadest first."""
    cells: dict[tuple, Cell] = {}
    rates, transits, ratios = {(): network.on_time}, {(): network_transit}, {(): network.cost_ratio}
    delays = {(): network.delay_cdf}
    for key in sorted(lanes, key=len):
        parent = (key[0], key[2]) if len(key) == 3 else key[:-1]
        stats = lanes[key]
        rates[key], transits[key] = (
            stats.rate(stats.on_time, rates[parent]),
            stats.transit_toward(transits[parent]),
        )
        ratios[key] = stats.cost_ratio(ratios[parent])
        delays[key] = cdf_toward(stats.delays, delays[parent], PSEUDO)
        cells[key] = _cell(stats, rates[key], transits[key], ratios[key], delays[key])
    return cells, transits


def _expected_on_time(facts: list[DeliveryFact], lanes: dict[tuple, Cell]) -> Counter[str]:
    """Per node, the on-time shipments its lanes predict for it."""
    expected: Counter[str] = Counter()
    for f in facts:
        expected[f.node_id] += lanes[(f.carrier, f.region, f.service_level)].on_time
    return expected


def _nodes(nodes: dict[str, _Stats], types: dict[str, str], root: _Stats, expected: Counter[str]):
    short, late = root.short / root.n, root.late_handover / root.n
    return {node: _node(s, types[node], expected[node] / s.n, short, late) for node, s in nodes.items()}


def _node(s: _Stats, node_type: str, expected: float, short: float, late: float) -> NodeReliability:
    """Its rates shrunk toward the network's; its on-time rate toward what its lanes predict."""
    on_time = s.rate(s.on_time, expected, NODE_PSEUDO)
    ratio = on_time_odds(on_time) / on_time_odds(expected)
    return NodeReliability(
        node_type, s.n, on_time, s.rate(s.short, short), s.rate(s.late_handover, late), ratio
    )


def _cell(stats: _Stats, rate: float, transit: Transit, cost_ratio: float, delays: Cdf) -> Cell:
    mean = sum(d * p for d, p in transit.items())
    quantiles = _quantile(transit, 0.5), _quantile(transit, 0.9)
    return Cell(stats.n, rate, round(mean, 4), *quantiles, round(cost_ratio, 4), stats.costed, delays)


def _quantile(transit: Transit, q: float) -> int:
    """The fewest days by which a share q of parcels has arrived."""
    cumulative = 0.0
    for days in sorted(transit):
        cumulative += transit[days]
        if cumulative >= q - 1e-9:
            return days
    return max(transit, default=0)
