"""The alerts pages: the desks' queue with its filters, one alert, acknowledging and resolving it with a
note; viewers read without acting, roles without alerts:read do not see the page at all."""

from sqlalchemy import text

from oms.domain.alerts import AlertKind, Severity
from oms.services.actor import Role
from tests.api.test_alerts import raise_one
from tests.web.conftest import as_role, csrf_of


def _alerts(engine) -> list[int]:
    return [
        raise_one(engine, AlertKind.SHIP_BY_AT_RISK, 1, day=10),
        raise_one(engine, AlertKind.SHIP_BY_BREACHED, 2, node="WH-KOELN", day=11, severity=Severity.CRITICAL),
        raise_one(engine, AlertKind.SHIPMENT_EXCEPTION, 3, carrier="DHL", day=12),
    ]


def _status(engine, alert_id: int) -> tuple[str, str | None]:
    with engine.connect() as conn:
        return tuple(conn.execute(text("SELECT status, note FROM alerts WHERE id = :id"), {"id": alert_id}).one())


def _post(web, alert_id: int, action: str, note: str = "", token: str | None = None):
    token = token or csrf_of(web.get(f"/alerts/{alert_id}").text)
    return web.post(f"/alerts/{alert_id}/{action}", data={"csrf_token": token, "note": note}, follow_redirects=False)


def test_the_queue_lists_open_alerts_oldest_first_and_filters_them(web, engine):
    first, breach, exception = _alerts(engine)
    as_role(web, engine, Role.OPS)
    page = web.get("/alerts").text
    assert 'href="/alerts"' in page  # in the navigation
    rows = [f'data-alert="{i}"' for i in (first, breach, exception)]
    assert all(row in page for row in rows)
    assert page.index(rows[0]) < page.index(rows[1]) < page.index(rows[2])
    assert "badge severity-critical" in page
    only_critical = web.get("/alerts", params={"severity": "critical"}).text
    assert f'data-alert="{breach}"' in only_critical and f'data-alert="{first}"' not in only_critical
    by_carrier = web.get("/alerts", params={"carrier": "DHL", "kind": ""}).text
    assert f'data-alert="{exception}"' in by_carrier and f'data-alert="{breach}"' not in by_carrier


def test_acknowledge_then_resolve_with_a_note(web, engine):
    alert_id = _alerts(engine)[0]
    as_role(web, engine, Role.OPS)
    acknowledged = _post(web, alert_id, "acknowledge", "calling the warehouse")
    assert acknowledged.status_code == 303 and acknowledged.headers["location"] == f"/alerts/{alert_id}?done=acknowledge"
    assert _status(engine, alert_id) == ("acknowledged", "calling the warehouse")
    page = web.get(acknowledged.headers["location"]).text
    assert "the alert is acknowledged" in page and "Acknowledge: I am on it" not in page

    resolved = _post(web, alert_id, "resolve", "picked late, shipped today")
    assert resolved.status_code == 303
    assert _status(engine, alert_id) == ("resolved", "picked late, shipped today")
    assert f'data-alert="{alert_id}"' not in web.get("/alerts").text  # the queue shows open ones
    assert f'data-alert="{alert_id}"' in web.get("/alerts", params={"status": "any"}).text
    with engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_events WHERE entity_type = 'alert' AND entity_id = :id"
                                    " ORDER BY id"), {"id": str(alert_id)}).scalars().all()  # fmt: skip
    assert actions[-2:] == ["alert.acknowledged", "alert.resolved"]


def test_resolving_without_a_note_says_what_to_write_and_changes_nothing(web, engine):
    alert_id = _alerts(engine)[0]
    as_role(web, engine, Role.OPS)
    answer = _post(web, alert_id, "resolve", "   ")
    assert answer.status_code == 422
    assert "Say in the note why it is resolved" in answer.text
    assert _status(engine, alert_id) == ("open", None)


def test_acting_on_an_alert_someone_else_resolved_is_a_readable_conflict(web, engine):
    alert_id = _alerts(engine)[0]
    as_role(web, engine, Role.OPS)
    token = csrf_of(web.get(f"/alerts/{alert_id}").text)
    assert _post(web, alert_id, "resolve", "done by phone", token).status_code == 303
    stale = _post(web, alert_id, "acknowledge", "me too", token)
    assert stale.status_code == 409 and "someone else acted on it" in stale.text
    assert _status(engine, alert_id) == ("resolved", "done by phone")


def test_a_viewer_reads_alerts_without_forms_and_is_refused_if_it_posts(web, engine):
    alert_id = _alerts(engine)[0]
    as_role(web, engine, Role.VIEWER)
    page = web.get(f"/alerts/{alert_id}").text
    assert "Acknowledge" not in page and 'name="note"' not in page
    assert _status(engine, alert_id) == ("open", None)
    refused = _post(web, alert_id, "acknowledge", "me", token=csrf_of(page))
    assert refused.status_code == 403
    assert _status(engine, alert_id) == ("open", None)


def test_without_the_form_token_nothing_is_done(web, engine):
    alert_id = _alerts(engine)[0]
    as_role(web, engine, Role.OPS)
    web.get("/alerts")
    answer = _post(web, alert_id, "acknowledge", "x", token="forged")
    assert answer.status_code == 403
    assert _status(engine, alert_id) == ("open", None)


def test_a_channel_key_has_no_alerts_page_and_bad_filters_are_readable(web, engine):
    _alerts(engine)
    as_role(web, engine, Role.CHANNEL, "web")
    assert 'href="/alerts"' not in web.get("/orders").text
    assert web.get("/alerts").status_code == 403
    web.post("/sign-out", data={"csrf_token": csrf_of(web.get("/orders").text)})
    as_role(web, engine, Role.OPS)
    bad = web.get("/alerts", params={"status": "later"})
    assert bad.status_code == 422 and "status" in bad.text


def test_an_empty_queue_says_where_alerts_come_from(web, engine):
    as_role(web, engine, Role.OPS)
    page = web.get("/alerts").text
    assert 'data-testid="no-alerts"' in page and "The SLA check raises alerts" in page


def test_a_note_too_long_says_so_keeps_the_note_and_changes_nothing(web, engine):
    alert_id = _alerts(engine)[0]
    as_role(web, engine, Role.OPS)
    answer = _post(web, alert_id, "acknowledge", "x" * 2001)
    assert answer.status_code == 422
    assert "at most 2000 characters" in answer.text and "why it is resolved" not in answer.text
    assert "x" * 2001 in answer.text  # kept in the form, to shorten
    assert _status(engine, alert_id) == ("open", None)


def test_an_alert_number_past_any_id_is_a_readable_page(web, engine):
    as_role(web, engine, Role.OPS)
    answer = web.get(f"/alerts/{2**63}")
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("text/html")
    assert "alert_id" in answer.text
