"""Every router of the API, mounted under /api/v1 by oms.api.app."""

from oms.api.routes import (
    alerts,
    atp,
    catalog,
    health,
    inventory,
    network,
    orders,
    promise,
    returns,
    routing,
    sla,
    supply,
    tracking,
    webhooks,
)

ROUTERS = [
    health.router, atp.router, orders.router,
    catalog.router, network.router, inventory.router, supply.router,
    promise.router,
    routing.router,
    webhooks.router,
    returns.router,
    tracking.router, alerts.router, sla.router,
]  # fmt: skip
