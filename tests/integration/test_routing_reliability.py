"""The routing reliability table learnt from the demo's delivered history finds the differences the demo
hides (src/oms/services/demo/lateness.py): everyone in Corsica and GLS around Paris worse than the network,
stores slower than warehouses. One demo database for the module: 45 days up to a Friday in early
December."""

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from oms import cli
from oms.services.actor import Actor, Role
from oms.services.errors import Forbidden
from oms.services.routing_reliability import (
    RELIABILITY,
    NoDeliveredHistory,
    delivery_facts,
    latest_reliability,
    learn_from_database,
)
from oms.services.uow import UnitOfWork
from tests.factories import VIEWER
from tests.integration.test_delay_risk import load_demo_world

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
MANAGER = Actor(name="test-manager", role=Role.MANAGER)
PARIS = ("FR-75", "FR-77", "FR-78", "FR-91", "FR-92", "FR-93", "FR-94", "FR-95")


@pytest.fixture(scope="module")
def demo(_session_engine):
    return load_demo_world(_session_engine, 45, NOW)


@pytest.fixture(scope="module")
def learnt(demo):
    info = learn_from_database(UnitOfWork(demo), MANAGER, now=NOW)
    return info, latest_reliability(UnitOfWork(demo))


def test_learning_stores_a_version_with_its_counts(learnt):
    info, (latest, table) = learnt
    assert (info.name, info.version) == (RELIABILITY, 1) and latest == info
    assert info.rows == table.network.shipments == info.metrics["shipments"] > 1_000
    assert 0.8 < info.metrics["on_time_rate"] < 0.95
    assert info.train_to == NOW - timedelta(days=7)


def lane_rate(table, carrier: str, regions, service="standard") -> float:
    cells = [table.lanes[(carrier, r, service)] for r in regions if (carrier, r, service) in table.lanes]
    return sum(c.on_time * c.shipments for c in cells) / sum(c.shipments for c in cells)


def test_the_table_finds_corsica_and_gls_around_paris_worse_than_the_network(learnt):
    _, (_, table) = learnt
    network = table.network.on_time
    assert lane_rate(table, "GLS", PARIS) < network - 0.03
    assert lane_rate(table, "GLS", ["FR-69", "FR-59", "FR-44"]) > network - 0.01
    corsica = [c for k, c in table.lanes.items() if len(k) == 3 and k[1] == "FR-20" and c.shipments >= 5]
    assert len(corsica) >= 3 and all(c.on_time < network - 0.05 for c in corsica)


def test_stores_hand_over_late_more_often_and_deliver_on_time_less_often(learnt):
    _, (_, table) = learnt
    stores = [r for r in table.nodes.values() if r.node_type == "store"]
    warehouses = [r for r in table.nodes.values() if r.node_type != "store"]
    mean = lambda rows, field: sum(getattr(r, field) for r in rows) / len(rows)
    assert mean(stores, "late_handover_rate") > mean(warehouses, "late_handover_rate") + 0.03
    assert mean(stores, "on_time") < mean(warehouses, "on_time")
    # A lane neither served yet: the store's odds still weigh against it.
    unseen = ("DHL", "DE-99", "standard")
    assert table.on_time("ST-PARIS", *unseen) < table.on_time("WH-LYON", *unseen) - 0.03


def test_facts_carry_regions_transit_days_and_hand_overs(demo):
    with demo.connect() as conn:
        facts = delivery_facts(conn, NOW - timedelta(days=45), NOW - timedelta(days=7))
    assert {f.region for f in facts} >= {"FR-20", "FR-75", "NL-10"}
    assert all(0 <= f.transit_days <= 10 for f in facts)
    assert 0 < sum(f.late_handover for f in facts) < len(facts) / 4


def test_only_a_model_trainer_learns_and_an_empty_window_stores_nothing(demo, learnt):
    before = latest_reliability(UnitOfWork(demo))[0].version
    with pytest.raises(Forbidden):
        learn_from_database(UnitOfWork(demo), VIEWER, now=NOW)
    with pytest.raises(NoDeliveredHistory):
        learn_from_database(UnitOfWork(demo), MANAGER, since=NOW - timedelta(days=2), now=NOW)
    assert latest_reliability(UnitOfWork(demo))[0].version == before


def test_oms_routing_learn_stores_a_version_and_names_the_weakest_lanes(demo, learnt, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: demo)
    result = CliRunner().invoke(cli.app, ["routing", "learn", "--as-of", "2026-12-04"])
    assert result.exit_code == 0, result.output
    assert f"routing reliability version {learnt[0].version + 1}:" in result.output
    weakest = [line for line in result.output.splitlines() if "weakest lane" in line]
    assert len(weakest) == 5 and "to FR-20:" in weakest[0]  # Corsica
    empty = CliRunner().invoke(
        cli.app, ["routing", "learn", "--since", "2026-12-01", "--as-of", "2026-12-04"]
    )
    assert empty.exit_code == 1 and "no delivered shipment" in empty.output
