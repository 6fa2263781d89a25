"""What carriers bill against what they were quoted: the ratio learnt per lane with shrinkage toward the
carrier's, `cost_factor` lookups, and tables stored before costs were learnt still loading."""

import json

import pytest

from oms.domain.routing.reliability import DeliveryFact, ReliabilityTable
from oms.domain.routing.reliability_learning import COST_PSEUDO, learn_reliability


def billed(n: int, quoted: float | None, charged: float | None, *, carrier="GLS", region="FR-69",
           service="standard", node="WH1") -> list[DeliveryFact]:  # fmt: skip
    return [
        DeliveryFact(node, "warehouse", carrier, region, service, True, 2, False, False, quoted, charged)
        for _ in range(n)
    ]


def test_the_ratio_of_a_well_billed_lane_is_what_the_carrier_charged_per_unit_quoted():
    table = learn_reliability(billed(2_000, 10.0, 10.8) + billed(2_000, 10.0, 10.0, carrier="DPD"))
    assert table.cost_factor("GLS", "FR-69", "standard") == pytest.approx(1.08, abs=0.001)
    assert table.cost_factor("DPD", "FR-69", "standard") == pytest.approx(1.0, abs=0.001)
    assert table.lanes[("GLS", "FR-69", "standard")].costed == 2_000


def test_a_thin_lane_leans_on_its_carriers_ratio():
    corsica = billed(3, 10.0, 20.0, region="FR-20")  # three parcels billed twice their quote
    table = learn_reliability(billed(2_000, 10.0, 11.0) + corsica)
    carrier = table.lanes[("GLS", "standard")].cost_ratio
    expected = (3 * 2.0 + COST_PSEUDO * carrier) / (3 + COST_PSEUDO)
    assert table.cost_factor("GLS", "FR-20", "standard") == pytest.approx(expected, abs=0.001)
    assert 1.1 < carrier < table.cost_factor("GLS", "FR-20", "standard") < 2.0


def test_shipments_without_both_costs_teach_no_ratio():
    unknown = billed(500, 10.0, None) + billed(500, None, 12.0) + billed(500, 0.0, 3.0)
    table = learn_reliability(unknown + billed(10, 10.0, 10.0, carrier="DPD"))
    assert table.lanes[("GLS",)].costed == 0
    assert table.cost_factor("GLS", "FR-69", "standard") == pytest.approx(table.network.cost_ratio)


def test_the_network_leans_on_billing_as_quoted_and_an_unknown_carrier_costs_its_quote():
    table = learn_reliability(billed(1, 10.0, 15.0))
    assert table.network.cost_ratio == pytest.approx((1.5 + COST_PSEUDO) / (1 + COST_PSEUDO), abs=1e-4)
    assert table.cost_factor("UPS", "FR-69", "standard") == 1.0


def test_a_node_cell_shows_its_lanes_ratio_and_its_own_count():
    table = learn_reliability(billed(100, 10.0, 12.0) + billed(5, 10.0, 12.0, node="ST1"))
    cell = table.cells[("ST1", "GLS", "FR-69", "standard")]
    assert cell.cost_ratio == table.lanes[("GLS", "FR-69", "standard")].cost_ratio
    assert cell.costed == 5


def test_costs_survive_the_json_round_trip():
    table = learn_reliability(billed(50, 10.0, 13.0))
    again = ReliabilityTable.from_bytes(table.to_bytes())
    lane = ("GLS", "FR-69", "standard")
    assert again.cost_factor(*lane) == table.cost_factor(*lane) > 1.2


def test_a_table_stored_before_costs_were_learnt_loads_and_prices_as_quoted():
    data = json.loads(learn_reliability(billed(50, 10.0, 13.0)).to_json())
    for cell in [data["network"], *(c for _, c in data["lanes"] + data["cells"])]:
        del cell["cost_ratio"], cell["costed"]
    old = ReliabilityTable.from_json(json.dumps(data))
    assert old.cost_factor("GLS", "FR-69", "standard") == 1.0
    assert old.on_time("WH1", "GLS", "FR-69", "standard") > 0.9
