"""The import and API-key commands as a person runs them: exit codes, report, what ends up stored."""

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from oms import cli
from oms.db.tables import api_keys, products
from oms.services.api_keys import hash_key
from tests.factories import add_network

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    return engine


def product_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(products)).scalar_one()


def test_catalog_import_prints_what_went_in_and_exits_0(engine, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text(
        "sku,name,description,unit_price,currency,barcode\nTSH-1,Tee,Soft,24.90,EUR,4006381333931\n"
    )
    result = runner.invoke(cli.app, ["catalog", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 of 1 row(s) imported" in result.output and product_count(engine) == 1


def test_bad_rows_are_listed_and_the_exit_code_says_so(engine, tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,name,unit_price,currency\nTSH-1,Tee,24.90,EUR\nTSH-2,Tee,1,euro\n")
    strict = runner.invoke(cli.app, ["catalog", "import", str(path)], terminal_width=200)
    assert strict.exit_code == 1 and product_count(engine) == 0
    assert (
        "currency" in strict.output
        and "ISO 4217" in strict.output
        and "nothing was imported" in strict.output
    )
    lenient = runner.invoke(cli.app, ["catalog", "import", str(path), "--skip-invalid"], terminal_width=200)
    assert lenient.exit_code == 1 and product_count(engine) == 1
    assert "1 of 2 row(s) imported" in lenient.output


def test_a_missing_file_or_column_exits_2_with_a_message(tmp_path):
    missing = runner.invoke(cli.app, ["inventory", "import", str(tmp_path / "absent.csv")])
    assert missing.exit_code == 2 and "No such file" in missing.output
    (tmp_path / "stock.csv").write_text("node_id,sku,on_hand\nWH-LYON,TSH-BLU-L,3\n")
    no_column = runner.invoke(
        cli.app, ["inventory", "import", str(tmp_path / "stock.csv")], terminal_width=200
    )
    assert no_column.exit_code == 2 and "safety_stock" in no_column.output


def test_api_key_create_prints_a_key_stored_only_as_a_hash(engine):
    add_network(engine)
    result = runner.invoke(
        cli.app, ["api-key", "create", "--role", "channel", "--name", "shop", "--channel", "web"]
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    with engine.connect() as conn:
        stored = conn.execute(select(api_keys.c.key_hash, api_keys.c.role, api_keys.c.channel_id)).one()
    assert tuple(stored) == (hash_key(key), "channel", "web")


def test_a_channel_key_needs_a_known_channel(engine):
    add_network(engine)
    assert runner.invoke(cli.app, ["api-key", "create", "--role", "channel", "--name", "x"]).exit_code == 2
    unknown = runner.invoke(
        cli.app, ["api-key", "create", "--role", "channel", "--name", "x", "--channel", "fax"]
    )
    assert unknown.exit_code == 2
