"""Keeps this process's promise caches true: listens to the database's change notifications.

Migrations 0002 and 0003 make PostgreSQL announce, at commit, what a promise reads that changed: the
SKUs of changed stock counts, inbound supply and products, `*` for channels and protections, `reference`
for nodes and transit rules; migration 0007, `routing` for routing profiles and rate tables. Reservations
are announced by the processes that make them, after their commit (`reserved`), as `reserved` and the
SKUs: NOTIFY inside every order's transaction would serialise their commits. A reservation only marks
cached SKUs stale (see oms.services.promise_stock).
One daemon thread per API process listens on its own connection, reads all stock once it listens (so
the first promises find it cached), forgets what changed and reads it again every `REWARM_SECONDS`,
and sends this process's batch of reserved SKUs every `ANNOUNCE_SECONDS`; if the connection drops, it
forgets everything and reconnects.
"""

import logging
import threading
import time
from collections.abc import Iterable

import orjson
import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from oms.services import promise_data, promise_stock, routing_config

CHANNEL = "oms_promise_data"
RECONNECT_SECONDS = 1.0
# How often the thread sends this process's reservations, and checks whether it should stop.
ANNOUNCE_SECONDS = 0.05
# How often the thread reads again the cached SKUs that changed, so promises keep finding them cached
# (one query for all of them, off the requests' path).
REWARM_SECONDS = 1.0
# A notification's payload must stay under 8,000 bytes.
MAX_PAYLOAD = 7000
RESERVED = "reserved "  # what starts an announcement of reservations

log = logging.getLogger(__name__)


class PromiseDataListener:
    def __init__(self, engine: Engine):
        self._engine = engine
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="promise-data-listener", daemon=True)
        self.connected = threading.Event()

    def start(self) -> "PromiseDataListener":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and wait for the thread to close its connection (within `ANNOUNCE_SECONDS`)."""
        self._stop.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception:  # whatever failed, this thread must live on: the caches depend on it
                log.warning("promise data listener failed; reconnecting", exc_info=True)
            self._stop.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._dsn, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            _heard_nothing_for_a_while(connected=True)
            try:
                with self._engine.connect() as reader:  # from now on changes are heard: warm the cache
                    promise_stock.hydrate(reader)
                self.connected.set()
                rewarmed_at = time.monotonic()
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=ANNOUNCE_SECONDS):
                        apply(note.payload)
                    _announce(conn, promise_stock.take_unannounced())
                    if time.monotonic() - rewarmed_at >= REWARM_SECONDS:
                        with self._engine.connect() as reader:
                            promise_stock.rewarm(reader)
                        rewarmed_at = time.monotonic()
            finally:
                self.connected.clear()
                _heard_nothing_for_a_while(connected=False)


def _announce(conn: psycopg.Connection, skus: list[str]) -> None:
    """Send the queued reservations; what could not be sent goes back in the queue for the next try."""
    chunks = payloads(skus)
    for sent, payload in enumerate(chunks):
        try:
            conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, RESERVED + payload))
        except psycopg.Error:
            promise_stock.queue_announcement([sku for chunk in chunks[sent:] for sku in orjson.loads(chunk)])
            raise


def _heard_nothing_for_a_while(connected: bool) -> None:
    """Before connecting, or once disconnected, changes went unheard: forget everything."""
    promise_stock.listening(connected)
    promise_data.clear_cache()
    routing_config.clear_cache()


def reserved(engine: Engine, skus: Iterable[str]) -> None:
    """This process committed a change of the reservations of `skus`: mark them stale here at once (see
    promise_stock.reserved), and announce them to the other processes: in this process's next batch
    when it runs a listener (an API worker), else at once, in a statement of its own (a script or a
    worker without a listener)."""
    skus = sorted(set(skus))
    if skus and not reserved_here(skus):
        announce(engine, skus)


def reserved_here(skus: list[str]) -> bool:
    """The first half of `reserved`: marks `skus` stale here; False when they must still be announced
    (`announce`: no listener of this process is connected to do it)."""
    promise_stock.reserved(skus)
    return promise_stock.queue_announcement(skus)


def announce(engine: Engine, skus: list[str]) -> None:
    """Tell the other processes that the reservations of `skus` changed, in a statement of its own."""
    try:
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT")
            for payload in payloads(skus):
                conn.execute(text("SELECT pg_notify(:channel, :payload)"),
                             {"channel": CHANNEL, "payload": RESERVED + payload})  # fmt: skip
    except SQLAlchemyError:  # the command has committed: its answer must not fail; caches expire anyway
        log.warning("could not announce reserved SKUs %s", skus, exc_info=True)


def payloads(skus: list[str]) -> list[str]:
    """`skus` as JSON arrays of at most `MAX_PAYLOAD` bytes each."""
    chunks, chunk = [], []
    for sku in skus:
        if chunk and len(orjson.dumps([*chunk, sku])) > MAX_PAYLOAD:
            chunks.append(chunk)
            chunk = []
        chunk.append(sku)
    return [orjson.dumps(c).decode() for c in [*chunks, chunk] if c]


def apply(payload: str) -> None:
    """Forget what one notification says changed."""
    if payload == "reference":
        promise_data.clear_cache()
    elif payload == "routing":
        routing_config.clear_cache()
    elif payload == "*":
        promise_stock.clear_cache()
    elif payload.startswith(RESERVED):
        promise_stock.reserved(orjson.loads(payload.removeprefix(RESERVED)))
    else:
        promise_stock.forget(orjson.loads(payload))
