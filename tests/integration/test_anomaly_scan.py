"""`oms anomalies scan` as a person runs it, and the worker's scheduled scan inside `oms run`."""

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from agents.anomaly import run_scan
from oms import cli, worker
from oms.services import anomaly_scan
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.anomaly_findings import SetConditions, carrier_risk, checks, stockout
from tests.factories import ADMIN, add_network, order_body, set_stock

runner = CliRunner()


@pytest.fixture
def network(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    for variable in ("OMS_LLM_BASE_URL", "OMS_LLM_MODEL", "OMS_LLM_API_KEY"):  # the digest from the template
        monkeypatch.delenv(variable, raising=False)
    add_network(engine)
    return engine


@pytest.fixture
def conditions(network, monkeypatch):
    stock, delay = SetConditions(stockout("TSH-BLU-L", score=0.9)), SetConditions(carrier_risk("DHL", 0.8))
    monkeypatch.setattr(anomaly_scan, "CHECKS", checks(stock, delay))
    return stock, delay


def _scans(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(text("SELECT actor, raised, resolved, digest_by FROM anomaly_scans"))
        ]


def test_the_scan_prints_its_digest_and_a_second_raises_nothing_new(engine, conditions):
    first = runner.invoke(cli.app, ["anomalies", "scan"])
    assert first.exit_code == 0, first.output
    assert "2 new alert(s)" in first.output and "DHL parcels will be late" in first.output
    assert "2 alert(s) raised, 0 resolved (digest by template)" in first.output
    again = runner.invoke(cli.app, ["anomalies", "scan", "--json", "--now", "2026-11-23T10:00:00+01:00"])
    report = json.loads(again.output)
    assert again.exit_code == 0 and report["scan"]["raised"] == 0 and len(report["alerts"]) == 2
    assert report["alerts"][0]["details"]["explanation"].startswith("Score 0.80")
    assert _scans(engine) == [
        ("system:anomaly-agent", 2, 0, "template"),
        ("system:anomaly-agent", 0, 0, "template"),
    ]


def test_a_failed_check_exits_1_and_a_time_without_zone_is_refused(engine, conditions):
    conditions[1].fail = True
    failed = runner.invoke(cli.app, ["anomalies", "scan"])
    assert failed.exit_code == 1 and "The delay check failed (RuntimeError" in failed.output
    naive = runner.invoke(cli.app, ["anomalies", "scan", "--now", "2026-11-23T10:00:00"])
    assert naive.exit_code == 2 and "time zone" in naive.output
    assert len(_scans(engine)) == 1  # the refused one wrote nothing


def test_the_worker_scans_on_its_schedule(engine, conditions):
    job = next(job for job in worker.JOBS if job.name == "anomalies.scan")
    assert job.interval == anomaly_scan.ScanSettings().scan_minutes * 60 == 900
    assert worker.run_job(job, engine) == 2
    conditions[0].findings = []
    assert worker.run_job(job, engine) == 1  # the stockout cleared
    assert [row[1:3] for row in _scans(engine)] == [(2, 0), (0, 1)]


def test_the_real_checks_find_a_sku_selling_out_before_replenishment(network):
    engine = network
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=62)
    body = order_body("B2B-1", lines=[("JKT-RED-M", 60)])
    capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(body))
    with engine.begin() as conn:  # sold yesterday: the forecast's history ends then
        conn.execute(text("UPDATE orders SET created_at = created_at - interval '1 day'"))
        conn.execute(text("UPDATE allocations SET created_at = created_at - interval '1 day'"))
    result = runner.invoke(cli.app, ["anomalies", "scan", "--json"])
    report = json.loads(result.output)
    assert result.exit_code == 0 and report["scan"]["summary"]["failed"] == {}
    assert set(report["scan"]["summary"]["checks"]) == set(anomaly_scan.CHECKS)
    stockouts = [a for a in report["alerts"] if a["kind"] == "stockout_predicted"]
    assert [(a["subject"]["sku"], a["subject"]["node_id"]) for a in stockouts] == [("JKT-RED-M", "WH-LYON")]
    assert stockouts[0]["details"]["explanation"].startswith("Score ")


def test_two_scans_at_once_raise_each_condition_once(network):
    stock, delay = (
        SetConditions(stockout("TSH-BLU-L"), stockout("JKT-RED-M")),
        SetConditions(carrier_risk("DHL", 0.8)),
    )
    start = threading.Barrier(2)

    def scan() -> int:
        start.wait()
        return run_scan(UnitOfWork(network), ADMIN, checks=checks(stock, delay)).scan.raised

    with ThreadPoolExecutor(2) as pool:
        raised = sorted(pool.map(lambda _: scan(), range(2)))
    assert raised == [0, 3] and len(_scans(network)) == 2
    with network.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alerts")).scalar() == 3
