"""Routing with a reliability table prices each carrier at what it bills (its quote times the lane's
cost factor): a carrier surcharging a region loses there to a dearer quote, and keeps the rest."""

from oms.domain.routing.rates import RateTable
from oms.domain.routing.reliability import Cell, ReliabilityTable
from oms.domain.routing.select import run_strategy
from tests.unit.routing.builders import card, job, node, order, strategy

RATES = RateTable([card("cheap", breaks=((30, 10.0),)), card("dear", breaks=((30, 11.0),))])


def billed(ratio: float) -> Cell:
    return Cell(100, 0.9, 2.0, 2, 3, cost_ratio=ratio, costed=100)


# cheap bills 20% over its quote into Corsica (a remote-area fee), as quoted elsewhere; dear as quoted.
SURCHARGED = ReliabilityTable(
    billed(1.0), {("cheap",): billed(1.0), ("cheap", "FR-20", "standard"): billed(1.2), ("dear",): billed(1.0)},
    {}, {},
)  # fmt: skip


def carrier_to(region: str, reliability: ReliabilityTable | None):
    plan, _ = run_strategy(job([node("n1")], facts=order(destination_region=region)), strategy(), RATES,
                           reliability=reliability)  # fmt: skip
    (shipment,) = plan.shipments
    return shipment.carrier, shipment.cost


def test_a_carrier_surcharging_a_region_loses_there_to_one_quoted_ten_percent_dearer():
    assert carrier_to("FR-20", SURCHARGED) == ("dear", 11.0)  # 12.00 billed against 11.00


def test_elsewhere_and_without_a_table_the_cheapest_quote_wins():
    assert carrier_to("FR-75", SURCHARGED) == ("cheap", 10.0)
    assert carrier_to("FR-20", None) == ("cheap", 10.0)
