"""The stuck-order, cancellation-rate, return-rate and channel-volume checks on a real database: each
fires on the history built to trip it, and stays quiet on its near miss."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from oms.domain.alerts import AlertKind, Severity
from oms.services.alert_models import AlertQuery
from oms.services.alert_queries import list_alerts
from oms.services.alerts import AlertDraft, raise_alert
from oms.services.anomaly_checks_rates import cancellation_rate_findings, return_rate_findings
from oms.services.anomaly_checks_settings import AnomalySettings
from oms.services.anomaly_checks_stuck import stuck_order_findings
from oms.services.anomaly_checks_volume import channel_volume_findings
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network
from tests.integration.anomaly_rows import add_orders, add_returns

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)
DAY = 24


@pytest.fixture
def network(engine):
    add_network(engine)
    return engine


def event(conn, order_ref: str, action: str, hours_ago: float) -> None:
    insert = text(
        "INSERT INTO audit_events (entity_type, entity_id, order_id, action, actor, actor_role, "
        "created_at) SELECT 'order', id::text, id, :action, 'test', 'admin', :at FROM orders "
        "WHERE external_id = :ref"
    )
    conn.execute(insert, {"action": action, "at": NOW - timedelta(hours=hours_ago), "ref": order_ref})


def test_an_order_released_for_longer_than_released_lasts_is_stuck(network):
    with network.begin() as conn:
        add_orders(conn, "OLD", NOW, 1, since_hours=10 * DAY, status="released")
        event(conn, "OLD-1", "order.released", hours_ago=100)
        event(conn, "OLD-1", "alert.raised", hours_ago=1)  # an alert about it does not restart the clock
        add_orders(conn, "NEW", NOW, 1, since_hours=10 * DAY, status="released")
        event(conn, "NEW-1", "order.released", hours_ago=10)
        add_orders(conn, "DONE", NOW, 1, since_hours=30 * DAY)  # delivered long ago: never stuck
    [finding] = stuck_order_findings(UnitOfWork(network), ADMIN, NOW)
    assert finding.kind == AlertKind.ORDER_STUCK and finding.severity == Severity.WARNING
    assert finding.details["hours_in_status"] == 100.0 and finding.details["limit_hours"] == 72.0
    assert "released for 4.2 days" in finding.message


def test_an_order_on_hold_with_no_event_counts_from_its_capture(network, monkeypatch):
    with network.begin() as conn:
        add_orders(conn, "HELD", NOW, 1, since_hours=7 * DAY, status="on_hold")
    [finding] = stuck_order_findings(UnitOfWork(network), ADMIN, NOW)
    assert finding.severity == Severity.CRITICAL  # 168 h against 48: over three times the limit
    assert finding.score > 0.75
    monkeypatch.setenv("OMS_ANOMALY_STUCK_HOURS", '{"on_hold": 200}')  # a desk that reviews holds weekly
    assert stuck_order_findings(UnitOfWork(network), ADMIN, NOW) == []
    assert AnomalySettings().stuck_hours["released"] == 72  # the other states keep their limits


def test_a_sku_cancelled_far_more_than_before_fires_and_a_small_count_does_not(network):
    with network.begin() as conn:
        # 2% cancelled over the baseline, then 12 of 40 in the last fortnight.
        add_orders(conn, "B", NOW, 200, since_hours=90 * DAY, until_hours=15 * DAY, cancelled=4)
        add_orders(conn, "R", NOW, 40, since_hours=13 * DAY, until_hours=1, cancelled=12)
        # 1 of 2 cancelled lately: a rate of 50%, but evidence of nothing.
        add_orders(conn, "M", NOW, 2, since_hours=5 * DAY, sku="TSH-BLU-M", cancelled=1)
        add_orders(
            conn, "J", NOW, 100, since_hours=90 * DAY, until_hours=15 * DAY, sku="JKT-RED-M", cancelled=2
        )
        add_orders(conn, "JR", NOW, 40, since_hours=13 * DAY, sku="JKT-RED-M", cancelled=1)
    [finding] = cancellation_rate_findings(UnitOfWork(network), ADMIN, NOW)
    assert (finding.kind, finding.subject.sku) == (AlertKind.CANCELLATION_RATE, "TSH-BLU-L")
    assert (finding.details["events"], finding.details["trials"]) == (12, 40)
    assert finding.details["p_value"] < 1e-6 and finding.severity == Severity.CRITICAL


def test_a_sku_whose_recent_shipments_come_back_far_more_often_fires(network):
    with network.begin() as conn:
        add_orders(conn, "B", NOW, 100, since_hours=60 * DAY, until_hours=20 * DAY, node="WH-LYON")
        add_orders(conn, "R", NOW, 30, since_hours=12 * DAY, until_hours=3 * DAY, node="WH-LYON")
        add_orders(
            conn, "J", NOW, 100, since_hours=60 * DAY, until_hours=20 * DAY, sku="JKT-RED-M", node="WH-LYON"
        )
        add_orders(
            conn, "JR", NOW, 30, since_hours=12 * DAY, until_hours=3 * DAY, sku="JKT-RED-M", node="WH-LYON"
        )
        add_returns(conn, "TSH-BLU-L", 3, NOW - timedelta(days=30))
        add_returns(conn, "JKT-RED-M", 3, NOW - timedelta(days=30))
        add_returns(conn, "TSH-BLU-L", 9, NOW - timedelta(days=1))  # 9 of 30 shipped lately
        add_returns(conn, "JKT-RED-M", 1, NOW - timedelta(days=1))
        # No longer sold: six returns of what it sold weeks ago say nothing about lately.
        add_orders(
            conn, "M", NOW, 100, since_hours=60 * DAY, until_hours=20 * DAY, sku="TSH-BLU-M", node="WH-LYON"
        )
        add_returns(conn, "TSH-BLU-M", 6, NOW - timedelta(days=1))
    [finding] = return_rate_findings(UnitOfWork(network), ADMIN, NOW)
    assert (finding.kind, finding.subject.sku) == (AlertKind.RETURN_RATE, "TSH-BLU-L")
    assert finding.details["events"] == 9 and finding.details["expected_rate"] < 0.05


def test_a_channel_with_no_orders_for_hours_it_usually_has_dozens_drops(network):
    with network.begin() as conn:
        for weeks in range(1, 5):  # the same three hours of the last four Thursdays: 20 orders each
            start = weeks * 7 * DAY + 3
            add_orders(conn, f"W{weeks}", NOW, 20, since_hours=start - 0.1, until_hours=start - 2.9)
            add_orders(conn, f"M{weeks}", NOW, 20, since_hours=start - 0.1, until_hours=start - 2.9,
                       channel="marketplace")  # fmt: skip
        add_orders(conn, "M-NOW", NOW, 16, since_hours=2.9, until_hours=0.1, channel="marketplace")
        add_orders(conn, "B-NOW", NOW, 1, since_hours=2, channel="b2b")  # too quiet to tell: never drops
    [finding] = channel_volume_findings(UnitOfWork(network), ADMIN, NOW)
    assert finding.kind == AlertKind.CHANNEL_VOLUME_DROP and finding.severity == Severity.CRITICAL
    assert finding.message == "No Web shop orders for 3 h; 20 expected"
    assert finding.dedupe_key == "channel_volume_drop:channel:web"
    with UnitOfWork(network) as uow:  # the alert is about the channel, and listed by it
        raise_alert(uow, ADMIN, AlertDraft(finding.kind, finding.severity, finding.dedupe_key, finding.message,
                                           finding.details, finding.subject))  # fmt: skip
        uow.commit()
    for channel, found in (("web", 1), ("marketplace", 0)):
        page = list_alerts(UnitOfWork(network), ADMIN, AlertQuery(channel=channel))
        assert [a.subject.channel_id for a in page.items] == ["web"] * found


def test_a_quiet_channel_silent_for_a_day_drops_over_the_day(network):
    with network.begin() as conn:
        for weeks in range(1, 5):  # 15 orders spread over the same day of the last four weeks
            start = weeks * 7 * DAY
            add_orders(
                conn, f"B{weeks}", NOW, 15, since_hours=start + 23, until_hours=start + 1, channel="b2b"
            )
    [finding] = channel_volume_findings(UnitOfWork(network), ADMIN, NOW)
    assert finding.message == "No B2B orders for 24 h; 15 expected"
    assert finding.details["window_hours"] == 24


def test_a_cancellation_alert_already_open_is_kept_by_a_looser_test(network):
    with network.begin() as conn:
        add_orders(conn, "B", NOW, 200, since_hours=90 * DAY, until_hours=15 * DAY, cancelled=4)
        add_orders(conn, "R", NOW, 60, since_hours=13 * DAY, until_hours=1, cancelled=5)  # p 0.007: no alert
    assert cancellation_rate_findings(UnitOfWork(network), ADMIN, NOW) == []
    with network.begin() as conn:
        conn.execute(text("INSERT INTO alerts (kind, severity, dedupe_key, message, sku) VALUES "
                          "('cancellation_rate', 'warning', 'cancellation_rate:sku:TSH-BLU-L', 'raised', "
                          "'TSH-BLU-L')"))  # fmt: skip
    [kept] = cancellation_rate_findings(UnitOfWork(network), ADMIN, NOW)
    assert kept.dedupe_key == "cancellation_rate:sku:TSH-BLU-L"
