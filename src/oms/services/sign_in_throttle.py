"""Sign-in throttling: after FAILURES_PER_NAME failed sign-ins for one name (or API key prefix) within
WINDOW, or FAILURES_PER_ADDRESS from one client address, further attempts are refused for LOCKOUT,
whether the name exists or not (so a refusal tells nothing about which names do).

Counted in the database, so every API process counts the same attempts, and atomically: an attempt takes
its place in the count (one upsert, which row locks serialise) before its password is checked, so ten
attempts at once cannot all be checked against a limit of five. A success gives its place back: the
name's count is cleared and the address's loses the attempt, so only failures count."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

from sqlalchemy import text

from oms.services.errors import ServiceError, Unauthorized
from oms.services.uow import UnitOfWork

FAILURES_PER_NAME = 5
FAILURES_PER_ADDRESS = 20
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)
KEY_PREFIX = 12  # characters of a key counted together: "oms_" and 8 of its own
NAME_PREFIX = 100  # characters of a name counted: no user's name is longer (and an index entry holds it)
T = TypeVar("T")

# A subject still locked keeps its count; one whose window has passed, or whose lockout has ended,
# starts again at this attempt.
_TAKE = text(
    """
    INSERT INTO sign_in_throttles AS t (subject, failures)
    SELECT subject, 1 FROM unnest(CAST(:subjects AS text[])) AS subject ORDER BY subject
    ON CONFLICT (subject) DO UPDATE SET
      failures = CASE WHEN t.locked_until > now() THEN t.failures
                      WHEN t.locked_until IS NOT NULL OR t.window_started_at <= now() - :window THEN 1
                      ELSE t.failures + 1 END,
      window_started_at = CASE WHEN t.locked_until > now() THEN t.window_started_at
                               WHEN t.locked_until IS NOT NULL OR t.window_started_at <= now() - :window THEN now()
                               ELSE t.window_started_at END,
      locked_until = CASE WHEN t.locked_until > now() THEN t.locked_until END
    RETURNING subject, failures, ceil(extract(epoch FROM t.locked_until - now()))::int AS locked_for_s
    """
)
# Every statement that locks more than one row locks them in the order of their subjects, as _TAKE does
# ("address:..." first), so that two sign-ins at once never wait for each other in a circle.
_LOCK = text(
    """
    WITH due AS (
      SELECT t.subject FROM sign_in_throttles t
      JOIN unnest(CAST(:subjects AS text[]), CAST(:limits AS int[])) AS s(subject, most) ON s.subject = t.subject
      WHERE t.failures >= s.most AND t.locked_until IS NULL ORDER BY t.subject FOR UPDATE OF t)
    UPDATE sign_in_throttles SET locked_until = now() + :lockout FROM due WHERE sign_in_throttles.subject = due.subject
    """
)
_GIVE_BACK = text(
    """
    UPDATE sign_in_throttles SET failures = greatest(failures - 1, 0)
    WHERE subject = :subject AND locked_until IS NULL
    """
)
_CLEAR = text("DELETE FROM sign_in_throttles WHERE subject = :subject")
# Pruning waits for no one: a row another sign-in holds is left for a later prune.
_PRUNE = text(
    """
    DELETE FROM sign_in_throttles WHERE subject IN (
      SELECT subject FROM sign_in_throttles
      WHERE window_started_at <= now() - :window AND (locked_until IS NULL OR locked_until <= now())
      FOR UPDATE SKIP LOCKED)
    """
)


class TooManyAttempts(ServiceError):
    status, title, type_slug = 429, "Too many sign-in attempts", "too-many-attempts"

    def __init__(self, retry_after_s: int):
        minutes = -(-retry_after_s // 60)
        super().__init__(f"too many failed sign-ins for this name or from this address: try again in {minutes} "
                         f"minute{'s' if minutes > 1 else ''}")  # fmt: skip
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Attempt:
    """One sign-in's subjects: the name (or key prefix) tried, and the client's address."""

    name: str
    address: str

    @classmethod
    def with_name(cls, name: str, address: str) -> "Attempt":
        return cls(f"name:{name.strip()[:NAME_PREFIX]}", f"address:{address}")

    @classmethod
    def with_key(cls, key: str, address: str) -> "Attempt":
        return cls(f"key:{key.strip()[:KEY_PREFIX]}", f"address:{address}")

    @property
    def limits(self) -> dict[str, int]:
        return {self.name: FAILURES_PER_NAME, self.address: FAILURES_PER_ADDRESS}


def throttled(uow: UnitOfWork, attempt: Attempt, check: Callable[[], T]) -> T:
    """What `check` answers for credentials it finds right (it raises Unauthorized for wrong ones), as one
    counted attempt; TooManyAttempts, without calling it, once the name or the address is locked out."""
    take_turn(uow, attempt)
    try:
        found = check()
    except Unauthorized:
        failed(uow, attempt)
        raise
    succeeded(uow, attempt)
    return found


def take_turn(uow: UnitOfWork, attempt: Attempt) -> None:
    """Count the attempt before its credentials are checked; TooManyAttempts if its name or its address
    is locked out or has used up its failures."""
    limits = attempt.limits
    with uow.autocommit():
        rows = uow.conn.execute(_TAKE, {"subjects": sorted(limits), "window": WINDOW}).all()
    locked = [row.locked_for_s for row in rows if row.locked_for_s and row.locked_for_s > 0]
    if locked or any(row.failures > limits[row.subject] for row in rows):
        raise TooManyAttempts(max(locked, default=int(LOCKOUT.total_seconds())))


def failed(uow: UnitOfWork, attempt: Attempt) -> None:
    """The attempt's credentials were wrong: a subject now at its limit is locked out; ended windows are
    pruned (names guessed once and never again stay no longer than their window)."""
    subjects, limits = zip(*sorted(attempt.limits.items()), strict=True)
    with uow.autocommit():
        uow.conn.execute(_LOCK, {"subjects": list(subjects), "limits": list(limits), "lockout": LOCKOUT})
        uow.conn.execute(_PRUNE, {"window": WINDOW})


def succeeded(uow: UnitOfWork, attempt: Attempt) -> None:
    """The credentials were right: the name's failures are forgiven, the address's count loses this
    attempt, and ended windows are pruned."""
    with uow:
        uow.conn.execute(_GIVE_BACK, {"subject": attempt.address})  # "address:..." first, as _TAKE locks
        uow.conn.execute(_CLEAR, {"subject": attempt.name})
        uow.conn.execute(_PRUNE, {"window": WINDOW})
        uow.commit()
