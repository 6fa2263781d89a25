"""Parcel carriers: who carries what from where, their nominal transit days, and tracking numbers.

Nominal days are what the retailer promises with; the carriers' real behaviour (slips, early
deliveries) lives in lateness.py.
"""

import random
from dataclasses import dataclass

from oms.services.demo.draw import Picker

PICKUP = "pickup"  # click & collect at the store: no carrier, the store hands the parcel over itself


@dataclass(frozen=True, slots=True)
class Carrier:
    name: str
    days: dict[str, int]  # service level -> nominal business days, domestic
    cross_border_extra: int
    saturday: bool  # delivers on Saturdays
    slip: float  # base chance that a parcel takes one day longer than nominal
    tracking: tuple[str, int, str]  # prefix, random digits, suffix

    def nominal_days(self, service: str, cross_border: bool, km: float) -> int:
        days = self.days[service] + (self.cross_border_extra if cross_border else 0)
        return days + (1 if service == "standard" and km > 750 else 0)

    def tracking_number(self, rng: random.Random) -> str:
        prefix, digits, suffix = self.tracking
        return f"{prefix}{rng.randrange(10**digits):0{digits}d}{suffix}"


CARRIERS = {
    c.name: c
    for c in (
        Carrier("Colissimo", {"standard": 2}, 2, True, 0.04, ("6A", 11, "")),
        Carrier("Chronopost", {"express": 1}, 1, True, 0.02, ("XW", 9, "FR")),
        Carrier("DHL", {"standard": 1, "express": 1}, 2, True, 0.03, ("JJD", 18, "")),
        Carrier("DPD", {"standard": 2}, 1, False, 0.04, ("0", 13, "")),
        Carrier("GLS", {"standard": 2}, 1, False, 0.07, ("", 11, "")),
        Carrier("UPS", {"standard": 2, "express": 1}, 1, False, 0.02, ("1Z", 16, "")),
    )
}

# (origin country, domestic?, service level) -> carriers weighted by their share of parcels
MIX = {
    ("FR", True, "standard"): Picker.of((("Colissimo", 6), ("DPD", 3), ("GLS", 2))),
    ("FR", True, "express"): Picker.of((("Chronopost", 8), ("UPS", 2))),
    ("DE", True, "standard"): Picker.of((("DHL", 7), ("DPD", 2), ("GLS", 2))),
    ("DE", True, "express"): Picker.of((("UPS", 6), ("DHL", 4))),
    ("BE", True, "standard"): Picker.of((("DPD", 5), ("GLS", 3), ("DHL", 2))),
    ("NL", True, "standard"): Picker.of((("DHL", 6), ("DPD", 4))),
}
ANY_OTHER = {  # cross-border, and express in Belgium and the Netherlands
    "standard": Picker.of((("DHL", 4), ("DPD", 4), ("GLS", 3))),
    "express": Picker.of((("UPS", 7), ("DHL", 3))),
}


def carrier_picker(origin: str, destination: str, service: str) -> Picker:
    return MIX.get((origin, origin == destination, service)) or ANY_OTHER[service]


def choose_carrier(rng: random.Random, origin: str, destination: str, service: str) -> Carrier:
    return CARRIERS[carrier_picker(origin, destination, service)(rng)]
