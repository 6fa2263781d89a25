"""Every router of the API, mounted under /api/v1 by oms.api.app."""

from oms.api.routes import atp, health, orders

ROUTERS = [health.router, atp.router, orders.router]
