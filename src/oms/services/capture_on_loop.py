"""Order capture as a coroutine on the API's event loop, for the common case.

`order_capture.capture_order` runs in a thread of the thread pool, one per request. Under load an API
worker's 16 threads and its event loop hand each request over twice and fight for the one GIL: 0.3 to
0.7 ms of a worker's CPU an order, of 2.5 to 3 (evals/perf/README.md, session 14). This path runs the
same steps on the loop itself, with psycopg's async connections: capture's read (`order_capture.FACTS`),
`prepare_write`, and the grouped write (`capture_writes.AsyncGroupWriter`, the statement the thread
pool's captures write with).

It takes only the common case, a new order whose stock holds. Anything else is left to `capture_order`,
which captures the order as it would have from the start: an order captured already (a retry), stock
that changed since the read, any failed statement, a cache that must be read again (a read would stop
every request of the worker meanwhile). Nothing of the order is written before that: its write is one
statement, and only ids drawn from sequences are lost.
"""

import logging
from typing import cast

import anyio.to_thread
import psycopg
from psycopg_pool import AsyncConnectionPool
from sqlalchemy import Connection, Engine

from oms.db.raw import fetch_one_async
from oms.services import promise_listener
from oms.services.actor import Actor, Permission
from oms.services.capture_writes import AsyncGroupWriter
from oms.services.order_capture import (
    FACTS,
    api_command,
    capture_order,
    facts_params,
    prepare_write,
    reserved_skus,
)
from oms.services.order_models import OrderCreate, OrderPublic
from oms.services.uow import UnitOfWork

log = logging.getLogger(__name__)
# Connections a worker's captures on the loop share: a read holds one for half a millisecond, the writer
# one at a time. With 4 or 16, 32 clients ran at the same 519-549 orders/s.
POOL_SIZE = 4


class _NeedsConnection(Exception):
    """A process cache is stale: it must be read again, with a connection."""


class _CachesOnly:
    """The connection `prepare_write` is given on the loop: the process caches serve it while fresh; a
    cache that must be read again raises instead of blocking the loop."""

    def __getattr__(self, name: str):
        raise _NeedsConnection(name)


_CACHES_ONLY = cast(Connection, _CachesOnly())


class CaptureOnLoop:
    """One per API worker, on its event loop; `open` before use, `close` at shutdown."""

    def __init__(self, engine: Engine):
        self._engine = engine
        url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool = AsyncConnectionPool(url, min_size=1, max_size=POOL_SIZE, kwargs={"autocommit": True},
                                         open=False)  # fmt: skip
        self._group = AsyncGroupWriter(self._pool, engine.dialect)

    async def open(self) -> None:
        await self._pool.open()

    async def close(self) -> None:
        await self._pool.close()

    async def capture(self, actor: Actor, cmd: OrderCreate) -> tuple[OrderPublic, bool]:
        """As `capture_order(uow, actor, cmd)`: the order, and whether this call created it."""
        actor.require(Permission.ORDER_CAPTURE)
        actor.require_channel(cmd.channel)
        digest, source = api_command(cmd)
        try:
            async with self._pool.connection() as conn:
                facts = await fetch_one_async(conn, FACTS, facts_params(cmd, source), self._engine.dialect)
            if not facts.existing:
                order, written = prepare_write(_CACHES_ONLY, actor, cmd, source, digest, facts)
                await self._group.write(written)
                skus = reserved_skus(written)
                if skus and not promise_listener.reserved_here(skus):  # no listener connected to announce them
                    await anyio.to_thread.run_sync(promise_listener.announce, self._engine, skus)
                return order, True
        except (psycopg.Error, _NeedsConnection) as error:
            log.debug("order %s of %s goes the general way: %r", cmd.external_id, cmd.channel, error)
        return await anyio.to_thread.run_sync(capture_order, UnitOfWork(self._engine), actor, cmd)
