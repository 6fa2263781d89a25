"""Learning what carriers bill from the demo's history finds the surcharges the demo hides
(src/oms/services/demo/billing.py): GLS's fuel surcharge of 8% and the remote-area fee into Corsica. One
demo database for the module: 45 days up to a Friday in early December."""

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from oms import cli
from oms.services.actor import Actor, Role
from oms.services.routing_reliability import delivery_facts, latest_reliability, learn_from_database
from oms.services.routing_reliability_views import ReliabilityQuery, reliability_page
from oms.services.uow import UnitOfWork
from tests.integration.test_delay_risk import load_demo_world

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
MANAGER = Actor(name="test-manager", role=Role.MANAGER)


@pytest.fixture(scope="module")
def demo(_session_engine):
    return load_demo_world(_session_engine, 45, NOW)


@pytest.fixture(scope="module")
def table(demo):
    learn_from_database(UnitOfWork(demo), MANAGER, now=NOW)
    return latest_reliability(UnitOfWork(demo))[1]


def test_delivered_facts_carry_what_was_quoted_and_what_was_billed(demo):
    with demo.connect() as conn:
        facts = delivery_facts(conn, NOW - timedelta(days=45), NOW - timedelta(days=7))
    costed = [f for f in facts if f.quoted_cost and f.charged_cost is not None]
    assert len(costed) > 0.9 * len(facts)
    assert all(f.charged_cost >= f.quoted_cost for f in costed)


def test_learning_finds_the_fuel_surcharge_of_one_carrier(table):
    gls = table.lanes[("GLS",)].cost_ratio
    others = [table.lanes[(c,)].cost_ratio for c in ("DPD", "DHL", "Colissimo", "UPS")]
    assert 1.07 < gls < 1.12 and all(r < gls - 0.05 for r in others)


def test_learning_finds_the_remote_area_fee_into_corsica(table):
    corsica = [c for k, c in table.lanes.items() if len(k) == 3 and k[1] == "FR-20" and c.costed >= 5]
    assert len(corsica) >= 2 and all(c.cost_ratio > 1.25 for c in corsica)
    assert table.cost_factor("DPD", "FR-69", "standard") < 1.05


def test_the_reliability_page_shows_each_cells_lane_ratio(demo, table):
    page = reliability_page(UnitOfWork(demo), MANAGER, ReliabilityQuery(carrier="GLS", region="FR-20"))
    assert page.items and all(
        c.cost_ratio == table.cost_factor("GLS", "FR-20", c.service_level) for c in page.items
    )


def test_oms_routing_learn_names_the_costliest_lanes(demo, table, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: demo)
    result = CliRunner().invoke(cli.app, ["routing", "learn", "--as-of", "2026-12-04"])
    assert result.exit_code == 0, result.output
    costliest = [line for line in result.output.splitlines() if "costliest lane" in line]
    assert costliest and "to FR-20: billed" in costliest[0]
