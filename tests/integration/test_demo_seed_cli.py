"""`oms seed demo` as a person runs it: seeds an empty database and prints the keys, refuses a full one."""

import json

import pytest
from typer.testing import CliRunner

from oms import cli
from oms.services.actor import Role
from oms.services.demo import seed_demo_if_empty
from oms.settings import Settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch, tmp_path):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    monkeypatch.setattr("oms.settings.get_settings", lambda: Settings(OMS_DATA_DIR=str(tmp_path)))
    return engine


def test_seed_demo_fills_an_empty_database_and_prints_counts_and_keys(tmp_path):
    result = runner.invoke(cli.app, ["seed", "demo", "--days", "3"])
    assert result.exit_code == 0, result.output
    keys = json.loads((tmp_path / "demo-keys.json").read_text())
    assert set(keys) == {role.value for role in Role}  # one per role
    assert all(key in result.output for key in keys.values())
    assert "products" in result.output and "orders" in result.output


def test_seed_demo_on_a_database_with_data_says_so_and_exits_1():
    assert runner.invoke(cli.app, ["seed", "demo", "--days", "2"]).exit_code == 0
    again = runner.invoke(cli.app, ["seed", "demo", "--days", "2"])
    assert again.exit_code == 1 and "already has products" in again.output


def test_seed_demo_if_empty_exits_0_quietly_on_a_database_with_data():
    assert runner.invoke(cli.app, ["seed", "demo", "--days", "2"]).exit_code == 0
    quiet = runner.invoke(cli.app, ["seed", "demo", "--days", "2", "--if-empty"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_seed_demo_if_empty_seeds_an_empty_database_once(engine, tmp_path):
    report = seed_demo_if_empty(engine, tmp_path, days=2)
    assert report is not None and report.counts["orders"] > 0 and report.counts["products"] >= 300
    assert seed_demo_if_empty(engine, tmp_path, days=2) is None
