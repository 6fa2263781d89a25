"""Bid prices: what a unit of stock at a node (and a shipment from a node) is worth to the rest of the
day, so that an order routed on arrival does not take for a few cents the unit a later order needs more.

They are the dual prices of the joint problem (`colgen`) solved on a forecast of the day's orders: a
forecast, not the orders still to come, so nothing is known that a live system would not know. An order
is then routed by the exact per-order search with those prices added to its scores
(`select.route_order(..., prices=...)`); the plan it returns is scored without them, like any plan.
"""

from collections.abc import Mapping, Sequence

from oms.domain.routing.colgen import ColumnGeneration
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.rates import RateTable
from oms.domain.routing.scoring import Prices
from oms.domain.routing.select import RoutingInput


def bid_prices(
    forecast: Sequence[RoutingInput],
    strategies: Sequence[Strategy],
    rates: RateTable,
    stock: Mapping[tuple[str, str], int],
    capacity: Mapping[str, int],
    unit_penalty: float,
    time_limit: float | None = None,
) -> Prices:
    """The dual prices of stock ((node, SKU)) and capacity (node) once column generation over the
    forecast orders has converged (or run out of `time_limit`)."""
    generation = ColumnGeneration(forecast, strategies, rates, stock, capacity, unit_penalty)
    generation.run(time_limit=time_limit)
    _, _, duals = generation.solve_master()
    unit = {(k[1], k[2]): p for k, p in duals.items() if k[0] == "stock" and p > 1e-9}
    shipment = {k[1]: p for k, p in duals.items() if k[0] == "cap" and p > 1e-9}
    return Prices(unit, shipment)
