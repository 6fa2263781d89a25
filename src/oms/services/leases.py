"""Work the worker claims by leasing rows: several workers never take the same row at once, and a row
whose worker died is due again once its lease runs out.

`claim_due` builds the claim: the first `:batch` rows that are due, locked with FOR UPDATE SKIP LOCKED
(a row another worker is claiming is skipped, not waited for) and updated in the same statement. A
`Heartbeat` renews a lease while long work runs under it, and says when the lease was lost (another
worker took the row after this one stalled past its lease).
"""

import logging
import threading
from collections.abc import Callable
from typing import Self

from sqlalchemy import TextClause, text

log = logging.getLogger(__name__)


def claim_due(table: str, due: str, order_by: str, claim: str, returning: str = "t.id") -> TextClause:
    """UPDATE `table` (aliased t) SET `claim` on its first `:batch` rows WHERE `due`, by `order_by`."""
    return text(f"""
        UPDATE {table} t SET {claim}
        FROM (SELECT id FROM {table} WHERE {due} ORDER BY {order_by} LIMIT :batch FOR UPDATE SKIP LOCKED) due
        WHERE t.id = due.id
        RETURNING {returning}
    """)  # table and clauses are the callers' constants; values are bound


def claim_attempt(table: str) -> TextClause:
    """The rows of `table` due to be sent (`next_attempt_at` passed), each attempt counted and the row
    leased for `:lease` seconds: a sender that dies leaves it due again then. Returns id, attempts."""
    claim = "attempts = t.attempts + 1, next_attempt_at = now() + make_interval(secs => :lease)"
    return claim_due(table, "next_attempt_at <= now()", "next_attempt_at, id", claim, "t.id, t.attempts")


class Heartbeat:
    """Calls `renew` every `every` seconds on a thread while the block runs; `renew` returns whether the
    lease is still held, and once it is not, `lost` is set and renewing stops."""

    def __init__(self, renew: Callable[[], bool], every: float):
        self.renew, self.every = renew, every
        self.lost = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="lease-heartbeat", daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                held = self.renew()
            except Exception:  # the database out of reach a moment: try again at the next beat
                log.warning("renewing a lease failed; trying again in %.0f s", self.every, exc_info=True)
                continue
            if not held:
                self.lost.set()
                return
