"""Console sessions kept in the database: the cookie carries a random id only, sign-out revokes it, a
session ends when idle for 8 hours or 7 days after sign-in, and a disabled user or a revoked key loses
theirs at once."""

import base64
import json

from fastapi.testclient import TestClient
from sqlalchemy import event, text

from oms.api.app import create_app
from oms.services.actor import Role
from oms.services.uow import UnitOfWork
from oms.services.users import UserCreate, create_user, set_disabled
from tests.factories import ADMIN, api_key
from tests.web.conftest import csrf_of, sign_in_with_key


def _signed_in(web, engine) -> str:
    assert sign_in_with_key(web, api_key(engine, Role.OPS)["X-API-Key"]).status_code == 303
    return web.cookies["oms_session"]


def _with_cookie(engine, value: str) -> TestClient:
    other = TestClient(create_app(engine))
    other.cookies.set("oms_session", value)
    return other


def _session(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT *, now() AS now FROM console_sessions")).one()


def _backdate(engine, **ago: str) -> None:
    """Move the session's times back, e.g. last_seen_at="8 hours 1 minute"."""
    sets = ", ".join(f"{column} = now() - CAST(:{column} AS interval)" for column in ago)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE console_sessions SET {sets}"), ago)


def _is_signed_in(client) -> bool:
    return client.get("/", follow_redirects=False).status_code == 200


def test_the_cookie_carries_a_random_id_whose_hash_alone_is_stored(web, engine):
    cookie = _signed_in(web, engine)
    payload = cookie.split(".")[0]
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert list(data) == ["s"] and len(data["s"]) >= 43
    stored = _session(engine)
    assert stored.token_hash != data["s"] and data["s"] not in stored.token_hash
    assert stored.api_key_id is not None and stored.user_id is None


def test_a_copied_cookie_is_refused_once_its_session_signed_out(web, engine):
    cookie = _signed_in(web, engine)
    copy = _with_cookie(engine, cookie)
    assert _is_signed_in(copy)
    out = web.post("/sign-out", data={"csrf_token": csrf_of(web.get("/").text)}, follow_redirects=False)
    assert out.status_code == 303
    assert not _is_signed_in(copy) and not _is_signed_in(_with_cookie(engine, cookie))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM console_sessions")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_events WHERE action = 'console.signed_out'")).scalar() == 1


def test_a_session_idle_for_eight_hours_ends(web, engine):
    _signed_in(web, engine)
    _backdate(engine, last_seen_at="7 hours 59 minutes")
    assert _is_signed_in(web)  # still within the idle time: this request counts as activity
    _backdate(engine, last_seen_at="8 hours 1 minute")
    assert not _is_signed_in(web)


def test_a_session_ends_seven_days_after_sign_in_however_active(web, engine):
    _signed_in(web, engine)
    _backdate(engine, created_at="6 days 23 hours", last_seen_at="2 minutes")
    assert _is_signed_in(web)
    assert abs((_session(engine).expires_at - _session(engine).created_at).total_seconds() - 7 * 86400) < 60
    _backdate(engine, created_at="7 days 1 minute", last_seen_at="1 second")
    assert not _is_signed_in(web)


def test_last_seen_is_written_at_most_once_a_minute(web, engine):
    _signed_in(web, engine)
    _backdate(engine, last_seen_at="30 seconds")
    before = _session(engine).last_seen_at
    assert _is_signed_in(web) and _session(engine).last_seen_at == before
    _backdate(engine, last_seen_at="61 seconds")
    assert _is_signed_in(web)
    seen = _session(engine)
    assert abs((seen.now - seen.last_seen_at).total_seconds()) < 5
    assert abs((seen.expires_at - seen.last_seen_at).total_seconds() - 8 * 3600) < 5


def test_disabling_a_user_ends_their_sessions_and_enabling_them_does_not_bring_them_back(web, engine):
    create_user(UnitOfWork(engine), ADMIN, UserCreate(name="olga", password="s3cret-enough", role="ops"))
    token = csrf_of(web.get("/sign-in").text)
    web.post("/sign-in", data={"name": "olga", "password": "s3cret-enough", "csrf_token": token})
    cookie = web.cookies["oms_session"]
    assert _is_signed_in(web)
    set_disabled(UnitOfWork(engine), ADMIN, "olga", disabled=True)
    set_disabled(UnitOfWork(engine), ADMIN, "olga", disabled=False)
    assert not _is_signed_in(_with_cookie(engine, cookie))


def test_revoking_a_key_ends_its_sessions_at_once(web, engine):
    _signed_in(web, engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE api_keys SET revoked_at = now()"))
    assert not _is_signed_in(web)


def test_signing_in_prunes_expired_sessions(web, engine):
    _signed_in(web, engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE console_sessions SET expires_at = now() - interval '1 second'"))
    web.cookies.clear()
    _signed_in(web, engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM console_sessions")).scalar() == 1


def test_a_page_costs_one_statement_on_the_sessions(web, engine):
    _signed_in(web, engine)
    statements = []

    def seen(conn, cursor, statement, *args):
        if "console_sessions" in statement:
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert web.get("/orders").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(statements) == 1 and "token_hash = " in statements[0]
