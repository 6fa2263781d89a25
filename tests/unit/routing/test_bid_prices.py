"""Bid prices: the duals of the joint problem on a forecast, and the per-order search that pays them."""

import pytest

from oms.domain.routing.batch import UNIT_PENALTY
from oms.domain.routing.bid_prices import bid_prices
from oms.domain.routing.scoring import Prices
from oms.domain.routing.select import run_strategy
from tests.unit.routing.builders import LYON, ORLEANS, job, lines, node, strategy
from tests.unit.routing.test_colgen import RATES

NODES = [node("near", at=ORLEANS, stock={"A": 1}), node("far", at=LYON, stock={"A": 5})]
S = strategy(objective={"shipping_cost": 1})


def test_the_unit_two_forecast_orders_want_is_priced_at_what_the_second_saves_with_it():
    forecast = [job(NODES, lines(("A", 1))), job(NODES, lines(("A", 1)))]
    stock = {("near", "A"): 1, ("far", "A"): 5}
    prices = bid_prices(forecast, [S, S], RATES, stock, {}, UNIT_PENALTY)
    assert prices.unit == {("near", "A"): pytest.approx(2.0)}  # far costs 6, near 4


def test_a_bid_price_below_the_saving_changes_nothing():
    order = job(NODES, lines(("A", 1)))
    assert run_strategy(order, S, RATES, prices=Prices({("near", "A"): 1.5})) == run_strategy(order, S, RATES)


def test_a_bid_price_above_the_saving_sends_the_order_elsewhere_scored_without_it():
    plan, verdicts = run_strategy(job(NODES, lines(("A", 1))), S, RATES, prices=Prices({("near", "A"): 2.5}))
    assert [s.node_id for s in plan.shipments] == ["far"] and plan.score == 6.0
    assert [v.node_id for v in verdicts if v.chosen] == ["far"]
