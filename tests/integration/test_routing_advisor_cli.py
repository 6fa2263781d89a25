"""The routing advisor's commands as a person runs them, and its worker job: exit codes, messages, what
ends up stored."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from oms import cli, worker
from oms.domain.routing.profiles import ProfileSet
from oms.domain.routing.reliability import Cell, ReliabilityTable
from oms.services.delay_models_store import store_model
from oms.services.routing_advice import ROUTING_ADVISOR, advice_turn
from oms.services.routing_proposals import propose
from oms.services.routing_reliability import RELIABILITY
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN

runner = CliRunner()
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
CANDIDATE = {"version": 1, "strategies": [{"name": "cheapest", "max_split": 2}]}


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    return engine


def invoke(*args: str):
    return runner.invoke(cli.app, ["routing", *args], terminal_width=200)


def proposed(engine) -> int:
    candidate = ProfileSet.model_validate(CANDIDATE)
    return propose(UnitOfWork(engine), ADMIN, candidate, {"chosen": "late_risk 20"}, "cheaper", None).id


def stored(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_advise_without_delivered_history_says_why_and_exits_1(engine):
    result = invoke("advise", "--days", "7")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("no proposal: nothing to learn from: no delivered shipment")
    assert stored(engine, "routing_proposals") == stored(engine, "ml_models") == 0


def test_a_proposal_is_listed_shown_and_approved_once(engine):
    pid = proposed(engine)
    listed = invoke("proposals", "list", "--status", "proposed")
    assert listed.exit_code == 0 and f"{pid}" in listed.output and "late_risk 20" in listed.output
    shown = invoke("proposals", "show", str(pid))
    assert shown.exit_code == 0 and "cheaper" in shown.output and "name: cheapest" in shown.output
    approved = invoke("proposals", "approve", str(pid), "--comment", "fine")
    assert approved.exit_code == 0, approved.output
    assert approved.output.strip() == f"routing proposal {pid} approved: routing profiles version 1 is active"
    again = invoke("proposals", "reject", str(pid))
    assert again.exit_code == 1 and "approved already" in again.output
    assert stored(engine, "routing_profiles") == 1


def test_unknown_proposals_and_versions_exit_1_and_store_nothing(engine):
    for args in (("proposals", "show", "99"), ("proposals", "approve", "99"), ("profiles", "revert", "4")):
        result = invoke(*args)
        assert result.exit_code == 1 and "error: no routing" in result.output, args
    assert invoke("proposals", "list", "--status", "maybe").exit_code == 2
    assert stored(engine, "routing_profiles") == 0


def test_revert_saves_a_new_version(engine):
    pid = proposed(engine)
    assert invoke("proposals", "approve", str(pid)).exit_code == 0
    result = invoke("profiles", "revert", "0", "--comment", "back to the built-in set")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "routing profiles version 2 is active: version 0 restored"
    assert "one-shipment" in invoke("profiles", "show").output


def test_the_worker_job_returns_0_quietly_without_delivered_history(engine, caplog):
    job = next(job for job in worker.JOBS if job.name == "routing.advise")
    assert worker.run_job(job, engine) == 0
    assert stored(engine, "ml_models") == stored(engine, "routing_proposals") == 0
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]


def test_advice_is_due_once_a_day_and_to_one_worker_at_a_time(engine, monkeypatch):
    with advice_turn(engine) as due, advice_turn(engine) as second:
        assert due and not second  # the other worker skips while one advises
    learnt = ReliabilityTable(Cell(10, 0.9, 1.5, 1, 3), {}, {}, {})
    facts = {"trained_at": NOW, "train_from": NOW, "train_to": NOW, "validate_from": NOW, "validate_to": NOW,
             "rows": 10}  # fmt: skip
    with UnitOfWork(engine) as uow:
        store_model(uow, ROUTING_ADVISOR, RELIABILITY, learnt, facts, {})
        uow.commit()
    with advice_turn(engine, NOW + timedelta(hours=23)) as due:
        assert not due
    with advice_turn(engine, NOW + timedelta(hours=25)) as due:
        assert due
    monkeypatch.setenv("OMS_ROUTING_ADVISE_HOURS", "0")
    with advice_turn(engine, NOW + timedelta(hours=25)) as due:
        assert not due
