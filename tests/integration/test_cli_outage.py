"""`oms nodes outage` as a person runs it."""

import pytest
from typer.testing import CliRunner

from oms import cli
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network, order_body, set_stock

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    add_network(engine)


def test_an_outage_from_the_command_line_reroutes_and_ends(engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 1)
    capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(order_body()))
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 1)
    result = runner.invoke(cli.app, ["nodes", "outage", "WH-LYON", "--note", "forklift down"])
    assert result.exit_code == 0, result.output
    assert "WH-LYON is out: 1 order(s) rerouted, 0 with units backordered, 0 failed" in result.output
    ended = runner.invoke(cli.app, ["nodes", "outage", "WH-LYON", "--end"])
    assert ended.exit_code == 0 and "WH-LYON fulfils again" in ended.output


def test_an_outage_needs_a_known_node_and_a_note(engine):
    assert runner.invoke(cli.app, ["nodes", "outage", "WH-LYON"]).exit_code == 2
    unknown = runner.invoke(cli.app, ["nodes", "outage", "NOWHERE", "--note", "x"])
    assert unknown.exit_code == 2 and "unknown node 'NOWHERE'" in unknown.output
