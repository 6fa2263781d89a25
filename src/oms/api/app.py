"""The FastAPI application: routes are thin wrappers over oms.services."""

import gc
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from sqlalchemy import Engine

from oms import web
from oms.api import lean_route, problems
from oms.api.assistant_host import AssistantHost
from oms.api.routes import ROUTERS
from oms.services.actor import Role
from oms.services.api_keys import ApiKeyAuthenticator, ensure_api_key
from oms.services.capture_on_loop import CaptureOnLoop
from oms.services.promise_listener import PromiseDataListener
from oms.settings import get_settings


def create_app(engine: Engine | None = None) -> FastAPI:
    settings = get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if app.state.engine is None:
            from oms.db.engine import get_engine

            app.state.engine = get_engine()
        app.state.authenticator = ApiKeyAuthenticator(app.state.engine, settings.api_key_cache_seconds)
        # Sync routes run in a thread pool; as many threads as pooled connections, so a request never
        # holds a thread while waiting for a connection.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.db_pool_size
        if settings.admin_api_key:
            ensure_api_key(app.state.engine, "bootstrap-admin", Role.ADMIN, settings.admin_api_key)
        listener = PromiseDataListener(app.state.engine).start()
        app.state.capture = CaptureOnLoop(app.state.engine)
        await app.state.capture.open()
        app.state.assistant = AssistantHost(app.state.engine, settings)
        # What start-up allocated (modules, routes, schemas, caches) lives as long as the worker: moved
        # out of the collector's reach, a full collection no longer walks it mid-request.
        gc.freeze()
        try:
            yield
        finally:
            listener.stop()
            await app.state.capture.close()
            app.state.assistant.close()

    app = FastAPI(
        title="OMS",
        version="0.1.0",
        summary="Order management: capture, ATP, reservations, delivery promise.",
        lifespan=lifespan,
        telemetry=None if settings.otel else {"tracing": False, "metrics": False, "logs": False},
        responses=problems.problem_responses(401, 403),
    )
    app.state.engine = engine
    app.state.capture = None  # order capture on the event loop, once the lifespan has started
    problems.install(app)
    lean_route.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix="/api/v1")
    web.install(app, settings)
    return app
