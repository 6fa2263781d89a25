"""Stock as Shopify should show it: per Shopify location and inventory item, the units available to the
channel at the OMS nodes mapped to that location (settings.locations; two nodes may feed one location),
and which of those differ from what was last sent, so that only changes are pushed."""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Level:
    location_id: int
    inventory_item_id: int
    available: int

    @property
    def key(self) -> tuple[int, int]:
        return self.location_id, self.inventory_item_id


def levels(atp: Mapping[tuple[str, str], int], locations: Mapping[str, int], items: Mapping[str, int]) -> list[Level]:
    """Every (location, item) with its available units: the ATP of `atp` ((node, sku) -> units; a position
    not there has none) summed over the nodes mapped to each location."""
    available: dict[tuple[int, int], int] = {}
    for node, location in locations.items():
        for sku, item in items.items():
            key = (location, item)
            available[key] = available.get(key, 0) + max(atp.get((node, sku), 0), 0)
    return sorted(Level(location, item, units) for (location, item), units in available.items())


def changed(current: list[Level], sent: Mapping[tuple[int, int], int]) -> list[Level]:
    """The levels that differ from what was last sent ((location, item) -> units), or were never sent."""
    return [level for level in current if sent.get(level.key) != level.available]
