"""Keeps this process's promise caches true: listens to the database's change notifications.

Migration 0002 makes PostgreSQL announce, at commit, what a promise reads that changed: the SKUs of
changed stock, inbound supply and products, `*` for channels and protections, `reference` for nodes and
transit rules. One daemon thread per API process listens on its own connection and forgets what changed;
if the connection drops, it forgets everything and reconnects.
"""

import logging
import threading
import uuid

import orjson
import psycopg
from sqlalchemy import Engine, text

from oms.services import promise_data, promise_stock

CHANNEL = "oms_promise_data"
RECONNECT_SECONDS = 1.0
# How long a wait for notifications lasts before the thread checks whether it should stop (stop() wakes
# it sooner).
POLL_SECONDS = 1.0

log = logging.getLogger(__name__)


class PromiseDataListener:
    def __init__(self, engine: Engine):
        self._engine = engine
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        # A channel of its own, on which stop() wakes the thread instead of waiting for its poll.
        self._wake_channel = f"oms_listener_{uuid.uuid4().hex}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="promise-data-listener", daemon=True)
        self.connected = threading.Event()

    def start(self) -> "PromiseDataListener":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and wait for the thread to close its connection."""
        self._stop.set()
        if self.connected.is_set():
            with self._engine.begin() as conn:
                conn.execute(text("SELECT pg_notify(:channel, 'stop')"), {"channel": self._wake_channel})
        self._thread.join(timeout=2 * POLL_SECONDS + 1)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as exc:
                log.warning("promise data listener lost its connection (%s); retrying", exc)
            self._stop.wait(RECONNECT_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self._dsn, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            conn.execute(f"LISTEN {self._wake_channel}")
            _heard_nothing_for_a_while(connected=True)
            self.connected.set()
            try:
                while not self._stop.is_set():
                    for note in conn.notifies(timeout=POLL_SECONDS):
                        if note.channel == CHANNEL:
                            apply(note.payload)
                        elif self._stop.is_set():
                            break
            finally:
                self.connected.clear()
                _heard_nothing_for_a_while(connected=False)


def _heard_nothing_for_a_while(connected: bool) -> None:
    """Before connecting, or once disconnected, changes went unheard: forget everything."""
    promise_stock.listening(connected)
    promise_data.clear_cache()


def apply(payload: str) -> None:
    """Forget what one notification says changed."""
    if payload == "reference":
        promise_data.clear_cache()
    elif payload == "*":
        promise_stock.clear_cache()
    else:
        promise_stock.forget(orjson.loads(payload))
