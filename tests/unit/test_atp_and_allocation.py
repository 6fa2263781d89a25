from decimal import Decimal

from oms.domain.allocation import Allocation, LineRequest, allocate
from oms.domain.atp import Position, Protection, atp, held_back

POS = Position("WH-1", "SKU-A", on_hand=10, reserved=3, safety_stock=2)


def test_atp_is_on_hand_plus_inbound_less_reserved_safety_and_held_back_never_negative():
    assert atp(POS) == 5
    assert atp(POS, inbound=4) == 9
    assert atp(POS, held=2) == 3
    assert atp(POS, held=50) == 0


def test_a_share_protection_holds_back_part_of_the_sellable_stock_rounded_up():
    rule = Protection("marketplace", None, None, share=Decimal("0.25"))
    assert held_back(POS, "marketplace", [rule]) == 2  # ceil(0.25 * (10 - 2))
    assert held_back(POS, "web", [rule]) == 0
    assert held_back(POS, None, [rule]) == 0


def test_the_most_specific_protection_wins():
    general = Protection("marketplace", None, None, quantity=5)
    for_sku = Protection("marketplace", "SKU-A", None, quantity=1)
    for_other_node = Protection("marketplace", "SKU-A", "WH-2", quantity=9)
    assert held_back(POS, "marketplace", [general, for_sku, for_other_node]) == 1


def test_a_line_goes_whole_to_the_first_node_by_priority_that_can_fill_it():
    result = allocate([LineRequest(1, "A", 3)], {("N1", "A"): 2, ("N2", "A"): 5, ("N3", "A"): 9}, ["N1", "N2", "N3"])
    assert result == [Allocation(1, "A", "N2", 3)]


def test_a_line_no_node_can_fill_is_split_in_priority_order_and_the_rest_left_over():
    result = allocate([LineRequest(1, "A", 6)], {("N1", "A"): 2, ("N2", "A"): 3}, ["N1", "N2"])
    assert result == [Allocation(1, "A", "N1", 2), Allocation(1, "A", "N2", 3)]


def test_nothing_is_allocated_from_nodes_with_no_stock():
    assert allocate([LineRequest(1, "A", 1)], {("N1", "A"): 0}, ["N1"]) == []
