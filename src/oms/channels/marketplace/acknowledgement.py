"""Which lines of a marketplace order are accepted, and the acknowledgement saying so in the
marketplace's own format.

A line is refused when its SKU is unknown or inactive, or (when the channel refuses what it cannot ship
now) when the stock the channel may sell now does not cover it whole: marketplaces penalise late
shipments more than refusals.
- mirakl (OR21 body): {"order_lines": [{"accepted": true, "id": "<order_line_id>"}, ...]}
- amazon (like the order acknowledgement feed): AmazonOrderId, MerchantOrderId (the OMS order), StatusCode
  Success (something accepted) or Failure (the whole order cancelled), and per item its
  MerchantOrderItemID or CancelReason (NoInventory; GeneralAdjustment for a SKU the seller does not sell)
- generic: the marketplace order id, the OMS order id, and each line with accepted and reason.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import count
from typing import Literal

from oms.services.order_models import LineIn

Reason = Literal["unknown_sku", "no_stock"]
_AMAZON_REASONS = {"unknown_sku": "GeneralAdjustment", "no_stock": "NoInventory"}


@dataclass(frozen=True, slots=True)
class LineVerdict:
    line_id: str
    sku: str
    quantity: int
    refused: Reason | None = None  # None: accepted

    @property
    def accepted(self) -> bool:
        return self.refused is None


def judge(lines: list[LineIn], active: set[str], shippable: Mapping[str, int] | None) -> list[LineVerdict]:
    """A verdict per line: `active` the SKUs sold, `shippable` what the channel could ship of each SKU now
    (None: lines are not refused for stock)."""
    return [LineVerdict(line.external_line_id or "", line.sku, line.quantity, _refusal(line, active, shippable))
            for line in lines]  # fmt: skip


def _refusal(line: LineIn, active: set[str], shippable: Mapping[str, int] | None) -> Reason | None:
    if line.sku not in active:
        return "unknown_sku"
    if shippable is not None and shippable.get(line.sku, 0) < line.quantity:
        return "no_stock"
    return None


def document(fmt: str, marketplace_order_id: str, verdicts: list[LineVerdict], order_id: int | None) -> dict:
    """The acknowledgement as the marketplace reads it."""
    if fmt == "mirakl":
        return {"order_lines": [{"accepted": v.accepted, "id": v.line_id} for v in verdicts]}
    if fmt == "amazon":
        line_nos = count(1)  # the accepted lines, in order, are the OMS order's lines 1, 2, ...
        return {
            "AmazonOrderId": marketplace_order_id,
            "MerchantOrderId": None if order_id is None else str(order_id),
            "StatusCode": "Success" if any(v.accepted for v in verdicts) else "Failure",
            "Items": [{"AmazonOrderItemCode": v.line_id}
                      | ({"MerchantOrderItemID": str(next(line_nos))} if v.accepted
                         else {"CancelReason": _AMAZON_REASONS[v.refused]})
                      for v in verdicts],
        }
    return {"marketplace_order_id": marketplace_order_id, "order_id": order_id,
            "lines": [{"id": v.line_id, "sku": v.sku, "quantity": v.quantity, "accepted": v.accepted,
                       "reason": v.refused} for v in verdicts]}  # fmt: skip

