"""A value read from the database and shared by a process's threads: node facts, transit rules, the
routing profiles and rates. Such data changes by an administrator's hand a few times a day while it is
read thousands of times a second, so each process keeps one copy. While the process hears change
notifications (oms.services.promise_listener) a change forgets the copy at once; without, it is re-read
after `unheard_ttl` seconds."""

import threading
import time as clock
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Connection

from oms.services.promise_stock import max_age

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(self, load: Callable[[Connection], T], unheard_ttl: float):
        self._load, self._ttl = load, unheard_ttl
        self._lock = threading.Lock()
        self._cached: tuple[T, float] | None = None
        self._cleared = 0  # counts clear() calls: a load that raced with one is used once, not kept

    def get(self, conn: Connection, usable: Callable[[T], bool] = lambda _: True) -> T:
        """The cached value, loaded again when stale or not `usable` (e.g. it lacks a node created since)."""
        if (value := self.peek(usable)) is not None:
            return value
        with self._lock:  # one load at a time; the others then find it done
            if (value := self.peek(usable)) is not None:
                return value
            cleared = self._cleared
            value = self._load(conn)
            if cleared == self._cleared:
                self._cached = (value, clock.monotonic())
            return value

    def peek(self, usable: Callable[[T], bool] = lambda _: True) -> T | None:
        """The cached value if it is fresh and `usable`, without a connection."""
        cached = self._cached
        if cached is None or clock.monotonic() - cached[1] >= max_age(self._ttl):
            return None
        return cached[0] if usable(cached[0]) else None

    def clear(self) -> None:
        self._cleared += 1
        self._cached = None
