"""Every router of the API, mounted under /api/v1 by oms.api.app."""

from oms.api.routes import atp, health

ROUTERS = [health.router, atp.router]
