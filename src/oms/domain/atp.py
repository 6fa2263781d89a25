"""Available-to-promise arithmetic.

ATP at a node = on hand + inbound supply due by the date - reserved - safety stock - stock held back
from the asking channel, never below zero. A channel protection holds back a quantity, or a share of
the sellable stock (on hand less safety stock), from one channel; the most specific rule wins.
"""

import math
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Position:
    node_id: str
    sku: str
    on_hand: int
    reserved: int
    safety_stock: int


@dataclass(frozen=True, slots=True)
class Protection:
    channel_id: str
    sku: str | None
    node_id: str | None
    quantity: int | None = None
    share: Decimal | None = None

    def specificity(self) -> int:
        return (2 if self.sku else 0) + (1 if self.node_id else 0)

    def matches(self, channel_id: str, position: Position) -> bool:
        return (
            self.channel_id == channel_id
            and self.sku in (None, position.sku)
            and self.node_id in (None, position.node_id)
        )


def held_back(position: Position, channel_id: str | None, protections: list[Protection]) -> int:
    """Units of `position` that `channel_id` may not sell."""
    if channel_id is None:
        return 0
    matching = [p for p in protections if p.matches(channel_id, position)]
    if not matching:
        return 0
    rule = max(matching, key=Protection.specificity)
    if rule.quantity is not None:
        return rule.quantity
    sellable = max(0, position.on_hand - position.safety_stock)
    return math.ceil(Decimal(sellable) * (rule.share or Decimal(0)))


def atp(position: Position, inbound: int = 0, held: int = 0) -> int:
    return max(0, position.on_hand + inbound - position.reserved - position.safety_stock - held)
