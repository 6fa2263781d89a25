"""Refund arithmetic, without a database: fees by reason, the shipping refund rule, store-credit bonus,
exchanges, and rounding in the order's currency."""

from decimal import Decimal

from oms.domain.refunds import SettledUnits, Settlement, settle, to_minor_unit
from oms.domain.returns import ReasonCode, Resolution, ReturnPolicy

POLICY = ReturnPolicy(
    restocking_fee_percent={"changed_mind": 10, "too_small": Decimal("12.5")},
    shipping_fees={"standard": Decimal("4.90"), "express": Decimal("9.90")},
    store_credit_bonus_percent=10,
)
D = Decimal
SHIPPING = D("4.90")


def _ctx(resolution=Resolution.REFUND, currency="EUR", policy=POLICY, shipping=SHIPPING, **kw) -> Settlement:
    shipped_back, whole = kw.pop("shipped_back", False), kw.pop("whole", False)
    return Settlement(currency, resolution, policy, shipping, shipped_back, whole, **kw)


def _units(reason=ReasonCode.CHANGED_MIND, quantity=1, price="19.90", line_no=1) -> SettledUnits:
    return SettledUnits(line_no, "TSH-BLU-L", quantity, D(price), reason)


def test_a_changed_mind_refund_keeps_the_restocking_fee():
    b = settle([_units(quantity=2)], _ctx())
    assert (b.merchandise, b.restocking_fee, b.shipping, b.total) == (D("39.80"), D("3.98"), 0, D("35.82"))


def test_no_fee_and_shipping_back_when_the_retailer_is_at_fault():
    b = settle([_units(ReasonCode.DEFECTIVE)], _ctx())
    assert (b.restocking_fee, b.shipping, b.total) == (0, D("4.90"), D("24.80"))
    assert b.lines[0].fee_percent == 0


def test_shipping_is_refunded_once_per_order():
    assert settle([_units(ReasonCode.WRONG_ITEM)], _ctx(shipped_back=True)).shipping == 0


def test_shipping_comes_back_with_the_whole_order_whatever_the_reason():
    assert settle([_units()], _ctx(whole=True)).shipping == D("4.90")
    no_rule = POLICY.model_copy(update={"refund_shipping_on_full_return": False})
    assert settle([_units()], _ctx(whole=True, policy=no_rule)).shipping == 0


def test_a_retailer_at_fault_rule_switched_off_keeps_the_shipping():
    policy = POLICY.model_copy(update={"refund_shipping_on_retailer_fault": False})
    assert settle([_units(ReasonCode.DAMAGED)], _ctx(policy=policy)).shipping == 0


def test_fees_are_rounded_half_up_per_line_so_fee_and_refund_add_up_to_the_merchandise():
    lines = [_units(ReasonCode.TOO_SMALL, 1, "0.20", 1), _units(ReasonCode.TOO_SMALL, 1, "0.20", 2)]
    b = settle(lines, _ctx())
    assert [line.restocking_fee for line in b.lines] == [D("0.03"), D("0.03")]  # 0.025 each, half up
    assert b.merchandise - b.restocking_fee == b.total == D("0.34")


def test_amounts_are_rounded_to_the_minor_unit_of_the_order_currency():
    b = settle([_units(quantity=1, price="1999")], _ctx(currency="JPY", shipping=D(0)))
    assert (b.restocking_fee, b.total) == (D("200"), D("1799"))
    assert to_minor_unit(D("1.2345"), "KWD") == D("1.235")
    assert to_minor_unit(D("1.005"), "EUR") == D("1.01")


def test_store_credit_adds_the_bonus_on_what_would_be_refunded():
    b = settle([_units(ReasonCode.TOO_LARGE, 3)], _ctx(Resolution.STORE_CREDIT))
    assert (b.merchandise, b.bonus, b.total) == (D("59.70"), D("5.97"), D("65.67"))


def test_an_exchange_pays_for_the_replacement_first_and_refunds_only_the_rest():
    first = settle([_units(quantity=1, price="30.00")], _ctx(Resolution.EXCHANGE, exchange_value=D("45.00")))
    assert (first.restocking_fee, first.exchange_paid, first.total) == (0, D("30.00"), 0)
    second = settle([_units(quantity=1, price="30.00")],
                    _ctx(Resolution.EXCHANGE, exchange_value=D("45.00"), exchange_paid_before=D("30.00")))
    assert (second.exchange_paid, second.total) == (D("15.00"), D("15.00"))


def test_settling_nothing_refunds_nothing():
    assert settle([], _ctx(whole=True)).total == 0
