"""Refund arithmetic, from the prices paid, in the order's currency.

For the units a settlement covers: merchandise = unit price paid x units, less the restocking fee of
their reason (rounded per line to the currency's minor unit, half up, so fee + refund = merchandise to
the cent), plus the original shipping once per order when the rule says so. Store credit adds the
policy's bonus; an exchange first pays for the replacement order, and only what the returned units are
worth beyond it is refunded (no restocking fee on an exchange: the sale is kept).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from oms.domain.returns import RETAILER_FAULT, ReasonCode, Resolution, ReturnPolicy

# ISO 4217 currencies whose minor unit is not the cent; every other currency has two decimals.
_MINOR_DIGITS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0, "RWF": 0,
    "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


def to_minor_unit(amount: Decimal, currency: str) -> Decimal:
    """`amount` rounded half up to the currency's smallest coin."""
    return amount.quantize(Decimal(1).scaleb(-_MINOR_DIGITS.get(currency, 2)), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class SettledUnits:
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal
    reason: ReasonCode


@dataclass(frozen=True, slots=True)
class Settlement:
    """What is known when units are settled, besides the units themselves."""

    currency: str
    resolution: Resolution
    policy: ReturnPolicy
    shipping_charge: Decimal  # what the order paid for shipping
    shipping_refunded_before: bool  # an earlier refund of the order gave it back already
    whole_order_back: bool  # with these units, every unit the order ships (all of it, not only what shipped so far) is settled on a return
    exchange_value: Decimal = Decimal(0)  # what the replacement order is worth (exchange only)
    exchange_paid_before: Decimal = Decimal(0)  # of which earlier settlements of the RMA paid


@dataclass(frozen=True, slots=True)
class LineAmount:
    line_no: int
    sku: str
    quantity: int
    unit_price: Decimal
    reason: ReasonCode
    merchandise: Decimal
    fee_percent: Decimal
    restocking_fee: Decimal


@dataclass(frozen=True, slots=True)
class Breakdown:
    currency: str
    lines: list[LineAmount] = field(default_factory=list)
    merchandise: Decimal = Decimal(0)
    restocking_fee: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    exchange_paid: Decimal = Decimal(0)  # kept to pay for the replacement order
    bonus: Decimal = Decimal(0)  # store-credit bonus
    total: Decimal = Decimal(0)  # refunded, or issued as store credit


def settle(units: list[SettledUnits], ctx: Settlement) -> Breakdown:
    lines = [_line_amount(u, ctx) for u in units]
    merchandise = sum((line.merchandise for line in lines), Decimal(0))
    fee = sum((line.restocking_fee for line in lines), Decimal(0))
    shipping = ctx.shipping_charge if lines and _refunds_shipping(units, ctx) else Decimal(0)
    exchange_paid = Decimal(0)
    if ctx.resolution is Resolution.EXCHANGE:
        exchange_paid = min(merchandise - fee + shipping, max(Decimal(0), ctx.exchange_value - ctx.exchange_paid_before))
    net = merchandise - fee + shipping - exchange_paid
    bonus = Decimal(0)
    if ctx.resolution is Resolution.STORE_CREDIT:
        bonus = to_minor_unit(net * ctx.policy.store_credit_bonus_percent / 100, ctx.currency)
    return Breakdown(ctx.currency, lines, merchandise, fee, shipping, exchange_paid, bonus, net + bonus)


def _line_amount(units: SettledUnits, ctx: Settlement) -> LineAmount:
    merchandise = to_minor_unit(units.unit_price * units.quantity, ctx.currency)
    pct = Decimal(0) if ctx.resolution is Resolution.EXCHANGE else ctx.policy.fee_percent(units.reason)
    fee = to_minor_unit(merchandise * pct / 100, ctx.currency)
    return LineAmount(units.line_no, units.sku, units.quantity, units.unit_price, units.reason, merchandise, pct, fee)


def _refunds_shipping(units: list[SettledUnits], ctx: Settlement) -> bool:
    if ctx.shipping_refunded_before or ctx.shipping_charge <= 0:
        return False
    at_fault = any(u.reason in RETAILER_FAULT for u in units)
    return (at_fault and ctx.policy.refund_shipping_on_retailer_fault) or (
        ctx.whole_order_back and ctx.policy.refund_shipping_on_full_return
    )
