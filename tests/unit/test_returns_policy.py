"""Return policy rules, without a database: window edges, non-returnable items, what may still come back,
and the status a return reaches."""

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError

from oms.domain.returns import (
    Condition,
    Progress,
    ReasonCode,
    Requested,
    ReturnPolicy,
    ReturnStatus,
    ShippedLine,
    refund_eligible,
    refusals,
    status_after,
)

DELIVERED = dt.date(2026, 3, 2)
POLICY = ReturnPolicy(window_days=30, non_returnable_skus=["SCK-GRY-M"])


def _line(line_no=1, sku="TSH-BLU-L", shipped=2, on_other_returns=0, final_sale=False, since=DELIVERED):
    return ShippedLine(line_no, sku, shipped, on_other_returns, final_sale, since)


def _codes(lines, requested, today=DELIVERED, policy=POLICY) -> list[tuple[int, str, str]]:
    return [(r.index, r.field, r.code) for r in refusals(policy, {x.line_no: x for x in lines}, requested, today)]


def test_a_unit_may_come_back_on_the_last_day_of_the_window_but_not_the_day_after():
    request = [Requested(1, 1, ReasonCode.CHANGED_MIND)]
    assert _codes([_line()], request, today=DELIVERED + dt.timedelta(days=30)) == []
    assert _codes([_line()], request, today=DELIVERED + dt.timedelta(days=31)) == [(0, "line_no", "outside_window")]


def test_a_zero_day_window_allows_returns_on_the_day_of_delivery_only():
    policy = ReturnPolicy(window_days=0)
    request = [Requested(1, 1, ReasonCode.TOO_SMALL)]
    assert _codes([_line()], request, today=DELIVERED, policy=policy) == []
    assert _codes([_line()], request, today=DELIVERED + dt.timedelta(days=1), policy=policy) != []


def test_no_more_units_than_shipped_less_those_on_other_returns_may_come_back():
    line = _line(shipped=3, on_other_returns=2)
    assert _codes([line], [Requested(1, 1, ReasonCode.TOO_LARGE)]) == []
    assert _codes([line], [Requested(1, 2, ReasonCode.TOO_LARGE)]) == [(0, "quantity", "over_returnable")]
    assert _codes([_line(shipped=0, since=None)], [Requested(1, 1, ReasonCode.OTHER)]) == [
        (0, "quantity", "over_returnable")
    ]


def test_a_non_returnable_sku_comes_back_only_when_the_item_is_at_fault():
    socks = _line(sku="SCK-GRY-M")
    assert _codes([socks], [Requested(1, 1, ReasonCode.CHANGED_MIND)]) == [(0, "reason_code", "non_returnable")]
    assert _codes([socks], [Requested(1, 1, ReasonCode.LATE_DELIVERY)]) == [(0, "reason_code", "non_returnable")]
    assert _codes([socks], [Requested(1, 1, ReasonCode.DEFECTIVE)]) == []


def test_a_final_sale_product_is_not_returnable_on_any_channel():
    assert _codes([_line(final_sale=True)], [Requested(1, 1, ReasonCode.TOO_SMALL)], policy=ReturnPolicy()) == [
        (0, "reason_code", "non_returnable")
    ]
    assert _codes([_line(final_sale=True)], [Requested(1, 1, ReasonCode.WRONG_ITEM)]) == []


def test_unknown_and_repeated_lines_are_refused_with_their_index():
    request = [Requested(1, 1, ReasonCode.OTHER), Requested(9, 1, ReasonCode.OTHER), Requested(1, 1, ReasonCode.OTHER)]
    assert _codes([_line()], request) == [(1, "line_no", "unknown_line"), (2, "line_no", "repeated")]


def test_a_policy_may_not_charge_a_restocking_fee_when_the_retailer_is_at_fault():
    with pytest.raises(ValidationError, match="defective"):
        ReturnPolicy(restocking_fee_percent={"changed_mind": 10, "defective": 5})
    assert ReturnPolicy(restocking_fee_percent={"defective": 0}).fee_percent(ReasonCode.DEFECTIVE) == 0
    policy = ReturnPolicy(restocking_fee_percent={"changed_mind": Decimal("12.5")})
    assert policy.fee_percent(ReasonCode.CHANGED_MIND) == Decimal("12.5")
    assert policy.fee_percent(ReasonCode.TOO_SMALL) == 0


def test_a_policy_refuses_unknown_fields_and_out_of_range_values():
    for bad in ({"window_days": -1}, {"store_credit_bonus_percent": 101}, {"restocking_fee_percent": {"bored": 5}},
                {"shipping_fees": {"drone": 5}}, {"refund_window": 30}):  # fmt: skip
        with pytest.raises(ValidationError):
            ReturnPolicy.model_validate(bad)


@pytest.mark.parametrize(
    ("received", "inspected", "status"),
    [(0, 0, ReturnStatus.AUTHORISED), (1, 0, ReturnStatus.PARTIALLY_RECEIVED), (1, 1, ReturnStatus.PARTIALLY_RECEIVED),
     (3, 1, ReturnStatus.RECEIVED), (3, 3, ReturnStatus.INSPECTED)],
)  # fmt: skip
def test_a_return_status_follows_its_received_and_inspected_units(received, inspected, status):
    assert status_after(ReturnStatus.AUTHORISED, Progress(3, received, inspected)) is status


def test_a_finished_or_in_transit_return_keeps_its_status_until_something_arrives():
    assert status_after(ReturnStatus.IN_TRANSIT, Progress(2, 0, 0)) is ReturnStatus.IN_TRANSIT
    assert status_after(ReturnStatus.CLOSED, Progress(2, 1, 1)) is ReturnStatus.CLOSED


def test_a_unit_damaged_by_the_customer_is_not_refunded():
    assert not refund_eligible(ReasonCode.CHANGED_MIND, Condition.DAMAGED)
    assert refund_eligible(ReasonCode.DAMAGED, Condition.DAMAGED)
    assert refund_eligible(ReasonCode.TOO_SMALL, Condition.DEFECTIVE)
    assert refund_eligible(ReasonCode.TOO_SMALL, Condition.OPENED)
