"""`oms api-key create --role wms --node NODE`: a key bound to one node, refused without one or with an
unknown one."""

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from oms import cli
from oms.db.tables import api_keys
from oms.services.actor import Role
from oms.services.api_keys import ApiKeyAuthenticator
from tests.factories import add_network

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    add_network(engine)


def stored(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(api_keys.c.name, api_keys.c.role, api_keys.c.node_id))]


def test_a_wms_key_is_created_for_its_node_and_acts_for_it(engine):
    result = runner.invoke(cli.app, ["api-key", "create", "--role", "wms", "--name", "Lyon WMS", "--node", "WH-LYON"])
    assert result.exit_code == 0, result.output
    actor = ApiKeyAuthenticator(engine).authenticate(result.output.strip())
    assert (actor.role, actor.node_id) == (Role.WMS, "WH-LYON")
    assert stored(engine) == [("Lyon WMS", "wms", "WH-LYON")]


@pytest.mark.parametrize(
    "args",
    [
        ["--role", "wms", "--name", "x"],  # no node
        ["--role", "ops", "--name", "x", "--node", "WH-LYON"],  # a node for another role
        ["--role", "wms", "--name", "x", "--node", "WH-NOWHERE"],  # unknown node
    ],
)
def test_a_node_goes_with_a_wms_key_and_only_with_it(engine, args):
    result = runner.invoke(cli.app, ["api-key", "create", *args])
    assert result.exit_code == 2 and "--node" in result.output
    assert stored(engine) == []
