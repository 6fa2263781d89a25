"""The whole demo world as table rows, computed in memory from a seed and a clock, with no database.

Each part draws from its own random stream (`seed:part`), so changing how customers are made does not
reshuffle the orders, and the same seed and day always give the same data.
"""

import random
from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

from oms.services.demo import network, products, returns, rows, stock
from oms.services.demo.customers import CUSTOMER_COLUMNS, build_customers, customer_rows
from oms.services.demo.execution_rows import (
    FULFILMENT_COLUMNS,
    FULFILMENT_LINE_COLUMNS,
    SHIPMENT_LINE_COLUMNS,
    execution_rows,
)
from oms.services.demo.fulfilment import fulfil
from oms.services.demo.history import Demand, simulate_orders
from oms.services.demo.sourcing import PICKUP_RADIUS_KM, Sourcing, nearest_store
from oms.services.demo.transit import TRANSIT_COLUMNS, transit_rule_rows
from oms.services.demo.workdays import Calendars

Tables = dict[str, tuple[Sequence[str], list[tuple]]]


def simulate(days: int, now: datetime, seed: int = 42) -> Tables:
    """Rows per table, in an order that satisfies the foreign keys."""

    def rng(part: str) -> random.Random:
        return random.Random(f"{seed}:{part}")

    today = now.date()
    start = today - timedelta(days=days)
    catalogue = products.build_products()
    customers = build_customers(rng("customers"), since=datetime.combine(start, time(), UTC))
    locals_ = [c for c in customers if not c.is_business and nearest_store(c.city)[1] <= PICKUP_RADIUS_KM]
    assortments = stock.store_assortments(rng("assortments"), catalogue)
    calendars = Calendars(start, today)

    orders = simulate_orders(rng("orders"), Demand(customers, catalogue, locals_), start, now)
    sourcing, sourcing_rng = Sourcing(assortments, calendars), rng("sourcing")
    for order in orders:
        sourcing.plan(sourcing_rng, order)
    fulfil(rng("fulfilment"), rows.number_shipments(orders), calendars)

    allocations = rows.open_allocations(orders, now)
    execution = execution_rows(orders, now)
    positions = stock.build_positions(rng("stock"), catalogue, assortments, orders,
                                      rows.reserved_units(allocations), now)
    return {
        "channels": (network.CHANNEL_COLUMNS, network.channel_rows()),
        "return_policies": (returns.POLICY_COLUMNS, returns.policy_rows()),
        "nodes": (network.NODE_COLUMNS, network.node_rows()),
        "products": (products.PRODUCT_COLUMNS, products.product_rows(catalogue)),
        "customers": (CUSTOMER_COLUMNS, customer_rows(customers)),
        "inventory": (stock.POSITION_COLUMNS, stock.position_rows(positions)),
        "inbound_supply": (stock.INBOUND_COLUMNS, stock.inbound_rows(rng("inbound"), positions, today)),
        "channel_protections": (stock.PROTECTION_COLUMNS, stock.PROTECTION_ROWS),
        "transit_rules": (TRANSIT_COLUMNS, transit_rule_rows()),
        "orders": (rows.ORDER_COLUMNS, rows.order_rows(orders, now)),
        "order_lines": (rows.LINE_COLUMNS, rows.line_rows(orders, now)),
        "fulfilment_orders": (FULFILMENT_COLUMNS, execution.fulfilment_orders),
        "fulfilment_order_lines": (FULFILMENT_LINE_COLUMNS, execution.fulfilment_lines),
        "shipments": (rows.SHIPMENT_COLUMNS, rows.shipment_rows(orders, now)),
        "shipment_lines": (SHIPMENT_LINE_COLUMNS, execution.shipment_lines),
        "allocations": (rows.ALLOCATION_COLUMNS, allocations),
    }
