from oms.domain.routing.rates import RateTable
from oms.domain.routing.select import run_strategy
from tests.unit.routing.builders import FLAT, ORLEANS, card, job, lines, node, strategy

COMPLETE = {"partial_fulfilment": "ship_complete"}
BACKORDER = {"partial_fulfilment": "ship_available_backorder_rest"}


def plan_of(candidates, order_lines, rates=FLAT, budget=50_000, **fields):
    plan, _ = run_strategy(job(candidates, order_lines), strategy(**fields), rates, budget)
    return plan


def shipped(plan) -> dict[str, list[tuple[int, str, int]]]:
    return {s.node_id: list(s.lines) for s in plan.shipments}


def test_ship_complete_ships_nothing_when_the_order_cannot_ship_in_full():
    plan = plan_of([node("n", stock={"A": 2, "B": 1})], lines(("A", 3), ("B", 1)), **COMPLETE)
    assert plan.shipments == ()
    assert plan.backorders == ((1, "A", 3), (2, "B", 1))


def test_backorder_policy_ships_what_is_available_and_backorders_the_rest():
    plan = plan_of([node("n", stock={"A": 2, "B": 1})], lines(("A", 3), ("B", 1), ("C", 2)), **BACKORDER)
    assert shipped(plan) == {"n": [(1, "A", 2), (2, "B", 1)]}
    assert plan.backorders == ((1, "A", 1), (3, "C", 2))


def test_lines_are_not_split_over_nodes_unless_the_strategy_allows_it():
    candidates = [node("x", stock={"A": 2}), node("y", stock={"A": 2})]
    assert plan_of(candidates, lines(("A", 3)), max_split=2, **COMPLETE).shipments == ()
    kept_whole = plan_of(candidates, lines(("A", 3)), max_split=2, **BACKORDER)
    assert [q for s in kept_whole.shipments for *_, q in s.lines] == [2] and kept_whole.backorders == (
        (1, "A", 1),
    )
    split = plan_of(candidates, lines(("A", 3)), max_split=2, allow_line_split=True, **COMPLETE)
    assert sorted(q for s in split.shipments for *_, q in s.lines) == [1, 2] and split.backorders == ()


def test_no_plan_uses_more_shipments_than_max_split():
    candidates = [node(n, stock={sku: 1}) for n, sku in (("x", "A"), ("y", "B"), ("z", "C"))]
    order_lines = lines(("A", 1), ("B", 1), ("C", 1))
    assert len(plan_of(candidates, order_lines, max_split=3, **COMPLETE).shipments) == 3
    assert plan_of(candidates, order_lines, max_split=2, **COMPLETE).shipments == ()
    partial = plan_of(candidates, order_lines, max_split=2, **BACKORDER)
    assert len(partial.shipments) == 2 and len(partial.backorders) == 1


def test_more_units_shipped_beats_a_lower_score():
    candidates = [node("cheap", at=ORLEANS, stock={"A": 1}), node("dear", stock={"A": 2})]
    rates = RateTable([card(band=200, breaks=((30, 1.0),)), card(breaks=((30, 50.0),))])
    plan = plan_of(candidates, lines(("A", 2)), rates, **BACKORDER)
    assert shipped(plan) == {"dear": [(1, "A", 2)]}


def test_weight_breaks_can_make_two_parcels_cheaper_than_one():
    candidates = [node("x", stock={"A": 2}), node("y", stock={"A": 2})]
    rates = RateTable([card(breaks=((10, 5.0), (30, 20.0)))])
    heavy = lines(("A", 2), weight=8.0)
    assert plan_of(candidates, heavy, rates, max_split=2).shipments[0].cost == 20.0
    split = plan_of(candidates, heavy, rates, max_split=2, allow_line_split=True)
    assert [s.cost for s in split.shipments] == [5.0, 5.0] and split.score == 10.0


def test_lines_of_one_sku_are_filled_in_line_order():
    plan = plan_of([node("n", stock={"A": 4})], lines(("A", 3), ("B", 1), ("A", 2)), **BACKORDER)
    assert shipped(plan) == {"n": [(1, "A", 3), (3, "A", 1)]}
    assert plan.backorders == ((2, "B", 1), (3, "A", 1))


def test_out_of_budget_the_search_falls_back_to_a_greedy_plan_and_says_it_is_not_exact():
    candidates = [node(f"n{i}", stock={s: 3 for s in "ABCDEF"}, priority=i) for i in range(12)]
    order_lines = lines(*((s, 2) for s in "ABCDEF"))
    exact = plan_of(candidates, order_lines, max_split=2, objective={"node_priority": 1})
    assert exact.exact and exact.units == 12
    rushed = plan_of(candidates, order_lines, budget=3, max_split=2, objective={"node_priority": 1})
    assert not rushed.exact and rushed.units == 12
    assert rushed.score >= exact.score
