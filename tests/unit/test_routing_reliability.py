"""The reliability table: shrinkage of thin cells toward their parents, transit percentiles, lookups of
unseen keys falling back to parents, and the JSON round trip."""

from datetime import date

import pytest

from oms.domain.routing.reliability import DeliveryFact, ReliabilityTable, business_days, region_of
from oms.domain.routing.reliability_learning import PSEUDO, learn_reliability


def facts(n: int, on_time: int, *, node="WH1", carrier="GLS", region="FR-75", service="standard",
          transit=2, short=0, late_handover=0) -> list[DeliveryFact]:  # fmt: skip
    return [
        DeliveryFact(
            node, "warehouse", carrier, region, service, i < on_time, transit, i < short, i < late_handover
        )
        for i in range(n)
    ]


# A network of 10,000 parcels on GLS standard, 90% on time, into other regions.
NETWORK = facts(10_000, 9_000, region="FR-69")


def test_a_thin_cell_sits_near_its_parent_and_a_thick_one_near_its_own_rate():
    paris = NETWORK + facts(1_000, 900, node="WH2")  # the lane into Paris is on time 90% of the time
    thin = learn_reliability(paris + facts(3, 0))  # WH1's 3 parcels into Paris were all late
    thick = learn_reliability(paris + facts(3_000, 1_500))  # WH1's 3,000 half late
    lane = thin.lane("GLS", "FR-75", "standard").on_time
    assert thin.on_time("WH1", "GLS", "FR-75", "standard") == pytest.approx(
        lane * PSEUDO / (PSEUDO + 3), abs=0.01
    )
    assert thick.on_time("WH1", "GLS", "FR-75", "standard") == pytest.approx(0.5, abs=0.01)


def test_a_node_cell_leans_on_its_lane_with_the_nodes_own_reliability():
    store = facts(400, 200, node="ST1", region="FR-69")  # half late where the warehouse is 90% on time
    table = learn_reliability(NETWORK + store + facts(3, 3, node="ST1") + facts(3, 3, node="WH1"))
    warehouse, at_store = (
        table.on_time("WH1", "GLS", "FR-75", "standard"),
        table.on_time("ST1", "GLS", "FR-75", "standard"),
    )
    assert at_store < warehouse - 0.1
    assert table.nodes["ST1"].lane_odds_ratio < 0.2 and table.nodes["WH1"].lane_odds_ratio > 0.9


def test_a_node_is_not_blamed_for_the_lanes_it_ships_on():
    corsica = facts(200, 100, node="WH2", region="FR-20") + facts(200, 100, node="ST1", region="FR-20")
    table = learn_reliability(NETWORK + corsica)  # ST1 only ships to Corsica, as late as anyone there
    store, warehouse = table.nodes["ST1"].lane_odds_ratio, table.nodes["WH2"].lane_odds_ratio
    assert store == pytest.approx(warehouse) and store > 0.9
    assert table.on_time("ST1", "GLS", "FR-69", "standard") == pytest.approx(0.9, abs=0.01)


def test_unseen_keys_fall_back_to_the_most_specific_parent_learnt():
    table = learn_reliability(NETWORK + facts(500, 250, carrier="DPD", service="express"))
    assert table.lane("GLS", "FR-75", "standard") is table.lanes[("GLS", "standard")]
    assert table.lane("GLS", "FR-75", "express") is table.lanes[("GLS",)]
    assert table.lane("UPS", "FR-75", "express") is table.network
    assert table.on_time("WH1", "DPD", "DE-10", "express") == pytest.approx(0.5, abs=0.01)
    assert table.transit_days("NEW", "UPS", "FR-75", "express") is table.network


def test_transit_percentiles_of_a_cell():
    week = [f for days, n in ((1, 50), (2, 30), (3, 15), (5, 5)) for f in facts(n, n, transit=days)]
    cell = learn_reliability(week * 20).transit_days("WH1", "GLS", "FR-75", "standard")
    assert (cell.transit_p50, cell.transit_p90) == (1, 3)
    assert cell.transit_mean == pytest.approx(1.8, abs=0.01)


def test_node_reliability_counts_short_picks_and_late_hand_overs():
    table = learn_reliability(NETWORK + facts(1_000, 900, node="ST1", short=100, late_handover=300))
    store = table.nodes["ST1"]
    assert store.short_pick_rate == pytest.approx(0.1, abs=0.01)
    assert store.late_handover_rate == pytest.approx(0.3, abs=0.01)
    assert table.nodes["WH1"].short_pick_rate < 0.01


def test_the_table_survives_a_json_round_trip_exactly():
    table = learn_reliability(NETWORK + facts(30, 20, node="ST1", region="FR-20", transit=4))
    back = ReliabilityTable.from_bytes(table.to_bytes())
    assert back.to_json() == table.to_json()
    assert back.on_time("ST1", "GLS", "FR-20", "standard") == table.on_time("ST1", "GLS", "FR-20", "standard")
    assert back.on_time("ST9", "UPS", "NL-10", "express") == table.on_time("ST9", "UPS", "NL-10", "express")


def test_no_history_is_a_clear_error():
    with pytest.raises(ValueError, match="no delivered shipment"):
        learn_reliability([])


def test_regions_and_business_days():
    assert region_of("FR", "20167") == "FR-20" and region_of("NL", "1011ab") == "NL-10"
    assert business_days(date(2026, 11, 20), date(2026, 11, 23)) == 1  # Friday to Monday
    assert business_days(date(2026, 11, 16), date(2026, 11, 30)) == 10
    assert business_days(date(2026, 11, 18), date(2026, 11, 18)) == 0
    assert business_days(date(2026, 11, 18), date(2026, 11, 17)) == 0
