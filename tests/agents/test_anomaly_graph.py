"""The anomaly agent on the real database: the checks' findings ranked (one per condition, most urgent
first, a cap per kind), explained, raised as alerts through the services and published; a second scan
raises nothing new and resolves what cleared; the digest by a scripted chat model or from the template."""

import json
from datetime import UTC, datetime

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import text

from agents.anomaly import run_scan
from oms.domain.alerts import Severity
from oms.services.anomaly_scan import ESCALATED
from oms.services.errors import Forbidden
from oms.services.uow import UnitOfWork
from tests.agents.conftest import scripted
from tests.anomaly_findings import SetConditions, carrier_risk, checks, stockout
from tests.factories import ADMIN, VIEWER, add_network

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(engine):
    add_network(engine)
    stock = SetConditions(stockout("TSH-BLU-L", score=0.4), stockout("TSH-BLU-M", score=0.9),
                          stockout("JKT-RED-M", score=0.6))  # fmt: skip
    delay = SetConditions(carrier_risk("DHL", 0.8), carrier_risk("DHL", 0.7, Severity.WARNING))
    return engine, stock, delay


def _scan(engine, stock, delay, model=None, actor=ADMIN):
    return run_scan(UnitOfWork(engine), actor, model, NOW, top_per_kind=2, checks=checks(stock, delay))


def _open_alerts(engine) -> dict[str, dict]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT dedupe_key, details FROM alerts WHERE status <> 'resolved'"))
        return {row.dedupe_key: row.details for row in rows}


def _published(engine, event_type: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT count(*) FROM outbox WHERE event_type = :t"), {"t": event_type}
        ).scalar()


def test_a_scan_raises_the_ranked_findings_explained_and_publishes_them(world):
    engine, stock, delay = world
    report = _scan(engine, stock, delay)
    keys = [finding.dedupe_key for finding in report.alerts]
    assert keys == ["late_delivery_risk:carrier:DHL", "stockout_predicted:sku_node:TSH-BLU-M@WH-LYON",
                    "stockout_predicted:sku_node:JKT-RED-M@WH-LYON"]  # fmt: skip
    assert report.scan.raised == 3 and report.scan.resolved == 0 and _published(engine, "alert.raised") == 3
    dhl = _open_alerts(engine)["late_delivery_risk:carrier:DHL"]
    assert dhl["score"] == 0.8  # the critical finding of the condition, not the warning
    assert (
        dhl["explanation"] == "Score 0.80, mostly: carrier region DHL/south (+0.30), node load 310 (+0.12)."
    )
    assert [c["feature"] for c in dhl["contributions"]] == ["carrier_region", "node_load", "weekday"]
    assert report.scan.digest_by == "template" and report.scan.summary["found"] == 4
    assert "3 new alert(s), 0 resolved" in report.scan.digest
    assert "- [critical] new: DHL parcels will be late — Score 0.80" in report.scan.digest


def test_a_second_scan_raises_nothing_new_and_resolves_what_cleared(world):
    engine, stock, delay = world
    _scan(engine, stock, delay)
    stock.findings = stock.findings[1:]  # TSH-BLU-L (below the cut anyway) and ...
    delay.findings = []  # ... DHL have cleared
    again = _scan(engine, stock, delay)
    assert again.scan.raised == 0 and again.scan.resolved == 1 and " new:" not in again.scan.digest
    assert set(_open_alerts(engine)) == {"stockout_predicted:sku_node:TSH-BLU-M@WH-LYON",
                                         "stockout_predicted:sku_node:JKT-RED-M@WH-LYON"}  # fmt: skip
    assert _published(engine, "alert.resolved") == 1 and _published(engine, "alert.raised") == 3


def test_a_condition_ranked_below_the_cut_is_not_resolved_while_it_holds(world):
    engine, stock, delay = world
    stock.findings = [stockout("TSH-BLU-L", score=0.95)]
    _scan(engine, stock, delay)
    stock.findings += [stockout("TSH-BLU-M", score=0.97), stockout("JKT-RED-M", score=0.96)]
    again = _scan(engine, stock, delay)
    assert again.scan.resolved == 0 and "stockout_predicted:sku_node:TSH-BLU-L@WH-LYON" in _open_alerts(
        engine
    )


def test_a_failing_check_is_reported_and_leaves_its_alerts_as_they_were(world):
    engine, stock, delay = world
    _scan(engine, stock, delay)
    delay.fail, stock.findings = True, []
    report = _scan(engine, stock, delay)
    assert report.scan.summary["failed"] == {"delay": "RuntimeError: the forecast service is down"}
    assert report.scan.resolved == 2 and set(_open_alerts(engine)) == {"late_delivery_risk:carrier:DHL"}
    assert "The delay check failed" in report.scan.digest


def test_the_digest_is_written_by_the_chat_model_from_the_scans_facts(world):
    engine, stock, delay = world
    model = scripted(AIMessage("DHL is the first call today: 3 new alerts."))
    report = _scan(engine, stock, delay, model)
    assert (
        report.scan.digest == "DHL is the first call today: 3 new alerts." and report.scan.digest_by == "llm"
    )
    facts = json.loads(model.asked[0][-1].content)
    assert facts["raised"] == 3 and facts["most_urgent"][0]["message"] == "DHL parcels will be late"
    assert facts["most_urgent"][0]["new"] is True
    with engine.connect() as conn:
        stored = conn.execute(text("SELECT digest, digest_by FROM anomaly_scans")).one()
    assert tuple(stored) == (report.scan.digest, "llm")


def test_a_model_that_fails_leaves_the_templates_digest(world):
    engine, stock, delay = world
    report = _scan(engine, stock, delay, scripted())  # an exhausted script raises
    assert report.scan.digest_by == "template" and report.scan.digest.startswith(
        "Anomaly scan at 2026-11-23 09:00 UTC:"
    )


def test_someone_who_may_not_manage_alerts_cannot_scan(world):
    engine, stock, delay = world
    with pytest.raises(Forbidden):
        _scan(engine, stock, delay, actor=VIEWER)
    assert _open_alerts(engine) == {}


def test_an_open_alert_reads_the_latest_figures_and_an_escalation_is_raised_anew(world):
    engine, stock, delay = world
    _scan(engine, stock, delay)
    stock.findings = [
        stockout("TSH-BLU-M", score=0.95),
        stockout("JKT-RED-M", score=0.99, severity=Severity.CRITICAL),
    ]
    again = _scan(engine, stock, delay)
    assert again.scan.raised == 1 and again.scan.summary["escalated"] == [
        "stockout_predicted:sku_node:JKT-RED-M@WH-LYON"
    ]
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT status, severity, note, details->>'score' AS score FROM alerts"
                                 " WHERE dedupe_key LIKE '%JKT-RED-M%' ORDER BY id")).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("resolved", "warning", ESCALATED, "0.6"),
        ("open", "critical", None, "0.99"),
    ]
    assert _open_alerts(engine)["stockout_predicted:sku_node:TSH-BLU-M@WH-LYON"]["score"] == 0.95  # refreshed
    assert (
        _published(engine, "alert.raised") == 4
        and "1 new alert(s) (1 escalated), 0 resolved" in again.scan.digest
    )
