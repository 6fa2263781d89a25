"""`oms routing` as a person runs it: exit codes, the problems listed, what ends up stored."""

import pytest
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from oms import cli
from oms.db.tables import rate_tables, routing_profiles

runner = CliRunner()

PROFILES_YAML = """version: 9
strategies:
  - name: warehouses-first
    filters: {node_types: [warehouse]}
    fallback: anywhere
  - name: anywhere
    max_split: 3
"""
BAD_YAML = """version: 1
strategies:
  - name: a
    max_split: 0
    filters: {max_distanse_km: 10}
"""
CSV = """carrier,service,origin_country,dest_country,max_distance_km,max_weight_kg,price,base_fee,per_kg_over
post,standard,,FR,,5,4.90,1.00,
post,standard,,FR,,2,3.90,1.00,
dhl,express,DE,FR,800,10,12.00,,0.8
"""


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    return engine


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def invoke(*args: str):
    return runner.invoke(cli.app, ["routing", *args], terminal_width=200)


def test_show_prints_the_built_in_profiles_as_yaml_before_any_load():
    result = invoke("profiles", "show")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# routing profiles version 0: built-in default")
    assert [s["name"] for s in yaml.safe_load(result.output)["strategies"]] == [
        "one-shipment",
        "split-up-to-3",
        "beyond-capacity",
    ]


def test_load_saves_a_yaml_file_as_the_active_version(engine, tmp_path):
    path = tmp_path / "profiles.yaml"
    path.write_text(PROFILES_YAML)
    result = invoke("profiles", "load", str(path))
    assert result.exit_code == 0, result.output
    assert "version 1 is active: warehouses-first, anywhere" in result.output
    with engine.connect() as conn:
        row = conn.execute(select(routing_profiles)).one()
    assert (row.saved_by, row.comment, row.profiles["version"]) == ("cli", "loaded from profiles.yaml", 1)
    shown = invoke("profiles", "show")
    assert "version 1, saved by cli" in shown.output and "warehouses-first" in shown.output


def test_what_show_prints_loads_back_as_a_new_version(engine, tmp_path):
    path = tmp_path / "active.json"
    path.write_text(invoke("profiles", "show", "--json").output)
    assert invoke("profiles", "load", str(path), "--comment", "same again").exit_code == 0
    assert "same again" in invoke("profiles", "versions").output
    assert count(engine, routing_profiles) == 1


def test_a_bad_profile_file_lists_every_problem_exits_1_and_stores_nothing(engine, tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(BAD_YAML)
    result = invoke("profiles", "load", str(path))
    assert result.exit_code == 1
    assert (
        "strategies.0.max_split" in result.output and "strategies.0.filters.max_distanse_km" in result.output
    )
    assert "nothing was saved" in result.output
    assert count(engine, routing_profiles) == 0


def test_a_file_that_is_not_yaml_exits_1(engine, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("strategies: [")
    result = invoke("profiles", "load", str(path))
    assert result.exit_code == 1 and "not valid yaml" in result.output
    assert count(engine, routing_profiles) == 0


def test_a_missing_file_or_unknown_extension_exits_2(tmp_path):
    assert invoke("profiles", "load", str(tmp_path / "absent.yaml")).exit_code == 2
    (tmp_path / "profiles.txt").write_text(PROFILES_YAML)
    assert invoke("profiles", "load", str(tmp_path / "profiles.txt")).exit_code == 2


def test_rates_import_saves_the_csv_with_its_file_name(engine, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(CSV)
    result = invoke("rates", "import", str(path))
    assert result.exit_code == 0, result.output
    assert "version 1 is active: 2 card(s) of dhl, post" in result.output
    with engine.connect() as conn:
        assert conn.execute(select(rate_tables.c.source)).scalar_one() == "rates.csv"
    assert "rates.csv" in invoke("rates", "versions").output


def test_rates_show_prints_a_csv_that_imports_back(engine, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(CSV)
    invoke("rates", "import", str(path))
    shown = invoke("rates", "show").output
    assert shown.splitlines()[0] == CSV.splitlines()[0]
    again = tmp_path / "again.csv"
    again.write_text(shown)
    assert invoke("rates", "import", str(again)).exit_code == 0
    assert count(engine, rate_tables) == 2
    assert invoke("rates", "show", "--version", "2").output == shown


def test_bad_rate_rows_are_listed_by_row_exit_1_and_nothing_is_stored(engine, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(CSV + ",overnight,fr,,,5,x,,\n")
    result = invoke("rates", "import", str(path))
    assert result.exit_code == 1
    assert (
        "row 5, service" in result.output and "overnight" in result.output and "row 5, price" in result.output
    )
    assert "nothing was saved" in result.output
    assert count(engine, rate_tables) == 0


def test_show_of_an_unknown_version_exits_1():
    result = invoke("rates", "show", "--version", "4")
    assert result.exit_code == 1 and "no rate tables version 4" in result.output


def test_reoptimise_proposes_then_applies_and_refuses_a_second_apply(engine):
    from oms.services.order_capture import capture_order
    from oms.services.order_models import OrderCreate
    from oms.services.uow import UnitOfWork
    from tests.factories import ADMIN, add_network, order_body, set_stock

    add_network(engine)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)
    order, _ = capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(order_body()))
    set_stock(engine, "ST-PARIS", "TSH-BLU-L", 5)
    proposed = invoke("reoptimise", "--comment", "after the delivery")
    assert proposed.exit_code == 0, proposed.output
    assert f"order {order.id}: WH-KOELN -> ST-PARIS" in proposed.output
    run_id = proposed.output.split("reoptimise --apply ")[1].split()[0]
    applied = invoke("reoptimise", "--apply", run_id)
    assert applied.exit_code == 0 and "1 order(s) moved, 0 skipped" in applied.output
    again = invoke("reoptimise", "--apply", run_id)
    assert again.exit_code == 1 and "applied already" in again.output
    assert invoke("reoptimise", "--apply", "999999").exit_code == 1
