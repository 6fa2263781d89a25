"""Sign-in throttling: 5 failures for a name (or a key prefix) or 20 from one address within 15 minutes
lock further attempts out for 15 minutes, with a 429 and Retry-After, alike for names that exist and
names that do not; a success clears the name's count; concurrent attempts cannot pass the limit."""

import secrets
import threading
import time

from sqlalchemy import text

from oms.services.actor import Role
from oms.services.errors import Unauthorized
from oms.services.sign_in_throttle import Attempt, TooManyAttempts, succeeded, take_turn, throttled
from oms.services.uow import UnitOfWork
from oms.services.users import UserCreate, create_user, sign_in_user
from tests.factories import ADMIN, api_key
from tests.web.conftest import csrf_of, sign_in_with_key

PASSWORD = "s3cret-enough"


def _add_user(engine, name="olga"):
    create_user(UnitOfWork(engine), ADMIN, UserCreate(name=name, password=PASSWORD, role="ops"))


def _try(web, name, password):
    token = csrf_of(web.get("/sign-in").text)
    return web.post("/sign-in", data={"name": name, "password": password, "csrf_token": token},
                    follow_redirects=False)  # fmt: skip


def _statuses(web, name, password, times):
    return [_try(web, name, password).status_code for _ in range(times)]


def test_five_failures_lock_the_name_out_for_fifteen_minutes_even_with_the_right_password(web, engine):
    _add_user(engine)
    assert _statuses(web, "olga", "wrong-password", 5) == [401] * 5
    locked = _try(web, "olga", PASSWORD)
    assert locked.status_code == 429 and 895 <= int(locked.headers["Retry-After"]) <= 900
    assert "too many failed sign-ins" in locked.text and "try again in 15 minutes" in locked.text
    assert web.get("/", follow_redirects=False).status_code == 303
    with engine.begin() as conn:  # fifteen minutes later
        conn.execute(text("UPDATE sign_in_throttles SET locked_until = now() - interval '1 second', "
                          "window_started_at = now() - interval '16 minutes'"))  # fmt: skip
    assert _try(web, "olga", PASSWORD).status_code == 303


def test_an_unknown_name_is_answered_exactly_as_a_known_one(web, engine):
    _add_user(engine)
    known = [_try(web, "olga", "wrong-password") for _ in range(6)]
    unknown = [_try(web, "nobody", "wrong-password") for _ in range(6)]
    assert [a.status_code for a in known] == [a.status_code for a in unknown] == [401] * 5 + [429]
    assert known[-1].text.replace("olga", "nobody") == unknown[-1].text
    assert known[0].text.replace("olga", "nobody") == unknown[0].text


def test_a_success_clears_the_names_failures(web, engine):
    _add_user(engine)
    assert _statuses(web, "olga", "wrong-password", 4) == [401] * 4
    assert _try(web, "olga", PASSWORD).status_code == 303
    web.cookies.clear()
    assert _statuses(web, "olga", "wrong-password", 5) == [401] * 5
    assert _try(web, "olga", "wrong-password").status_code == 429


def test_twenty_failures_from_one_address_lock_it_out_whatever_the_name(web, engine):
    _add_user(engine)
    for n in range(5):
        assert _statuses(web, f"guess{n}", "wrong-password", 4) == [401] * 4
    answer = _try(web, "olga", PASSWORD)
    assert answer.status_code == 429 and int(answer.headers["Retry-After"]) > 0


def test_failed_keys_lock_out_their_prefix(web, engine):
    key = api_key(engine, Role.OPS)["X-API-Key"]
    for n in range(5):
        assert sign_in_with_key(web, f"{key}-wrong{n}").status_code == 401
    assert sign_in_with_key(web, key).status_code == 429
    assert sign_in_with_key(web, api_key(engine, Role.VIEWER)["X-API-Key"]).status_code == 303


def test_ten_attempts_at_once_check_no_more_passwords_than_the_limit(engine):
    _add_user(engine)
    attempt, checked, refused = Attempt.with_name("olga", "10.0.0.9"), [], []
    barrier = threading.Barrier(10)

    def check(uow):
        checked.append(1)
        return sign_in_user(uow, "olga", "wrong-password")

    def guess():
        uow = UnitOfWork(engine)
        barrier.wait()
        try:
            throttled(uow, attempt, lambda: check(uow))
        except TooManyAttempts:
            refused.append(1)
        except Unauthorized:
            pass

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == 5 and len(refused) == 5
    with engine.connect() as conn:
        locked = conn.execute(text("SELECT locked_until > now() FROM sign_in_throttles WHERE subject = 'name:olga'"))
        assert locked.scalar() is True


def test_a_name_longer_than_any_users_is_refused_as_a_wrong_one_and_counted(web, engine):
    endless = secrets.token_hex(3000)  # beyond what an index entry can hold
    assert _statuses(web, endless, "wrong-password", 5) == [401] * 5
    assert _try(web, endless + "-other-tail", "wrong-password").status_code == 429  # counted by its start


def test_a_name_typed_with_spaces_around_it_signs_in_as_it_is_counted(web, engine):
    _add_user(engine)
    assert _try(web, " olga ", PASSWORD).status_code == 303


def test_a_success_and_another_attempt_at_once_lock_their_rows_in_the_same_order(engine):
    """A success clears the name and gives the address its attempt back while another sign-in from that
    address takes its turn, which locks the address, then the name: neither may deadlock the other."""
    attempt, errors = Attempt.with_name("olga", "10.0.0.7"), []
    take_turn(UnitOfWork(engine), attempt)
    lock = text("SELECT 1 FROM sign_in_throttles WHERE subject = :s FOR UPDATE")
    with engine.connect() as other:
        other.begin()
        other.execute(lock, {"s": attempt.address})  # another sign-in's turn, half taken

        def succeed():
            try:
                succeeded(UnitOfWork(engine), attempt)
            except Exception as error:  # noqa: BLE001 - a deadlock, if any, is what this test looks for
                errors.append(error)

        thread = threading.Thread(target=succeed)
        thread.start()
        _wait_for_a_lock_wait(engine)
        try:
            other.execute(lock, {"s": attempt.name})  # ... and now the rest of it
            other.commit()
        except Exception as error:  # noqa: BLE001
            errors.append(error)
            other.rollback()
        thread.join()
    assert errors == []


def _wait_for_a_lock_wait(engine, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    with engine.connect() as conn:
        while not conn.execute(text(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).scalar():
            assert time.monotonic() < deadline, "the success never waited for the address"
            time.sleep(0.02)
            conn.rollback()
