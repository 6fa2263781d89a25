"""The web console: server-rendered pages (Jinja2, htmx served from /static) on the API's own app. Each
capability adds its router here and its line to oms.web.console.NAV."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from oms.settings import Settings
from oms.web import (
    alerts,
    anomalies,
    assistant,
    auth,
    entry,
    imports,
    inventory,
    network,
    order_actions,
    orders,
    overview,
    pages,
    routing,
)
from oms.web.session import make_serializer


def install(app: FastAPI, settings: Settings) -> None:
    app.state.web_sessions = make_serializer(settings)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    for module in (pages, auth, orders, order_actions, inventory, network, alerts, imports, entry,
                   overview, assistant, anomalies, routing):  # fmt: skip
        app.include_router(module.router)
