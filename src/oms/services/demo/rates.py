"""The demo carriers' rate cards: the rate table the demo saves as version 1, so routing chooses among
the carriers the history shipped with, and the prices the history's parcels were quoted (billing.py).

Which carrier serves which lane is carriers.py's (MIX, ANY_OTHER), for the demo's four countries both
ways. Prices: a base fee per parcel plus weight breaks up to 30 kg and a price per kg over, dearer with
distance (domestic bands as the built-in placeholder's) and across a border; express costs 1.8 times
as much, twice the fee. Each carrier sits a little above or below the going rate: GLS is the cheap one
on its lanes, and the one that slips most (lateness.py).
"""

from oms.db.tables import rate_tables
from oms.services import routing_config
from oms.services.actor import SYSTEM
from oms.services.demo.carriers import carrier_picker
from oms.services.rate_table_data import validate_rates
from oms.services.routing_versions import insert_version
from oms.services.uow import UnitOfWork

COUNTRIES = ("FR", "DE", "BE", "NL")  # where the demo's nodes ship from and its customers live
COMMENT = "demo carriers' rates"
WEIGHTS_KG = (1, 2, 5, 10, 20, 30)

# Standard service at the going rate: (upper bound of the distance band, base fee, break prices, per kg over)
DOMESTIC = (
    (300, 3.0, (1.2, 1.7, 2.8, 4.4, 7.0, 9.4), 0.35),
    (700, 3.6, (1.6, 2.2, 3.5, 5.4, 8.4, 11.2), 0.42),
    (None, 4.2, (2.0, 2.7, 4.2, 6.4, 9.8, 13.0), 0.50),
)
CROSS_BORDER = (
    (500, 5.0, (2.6, 3.4, 5.2, 7.8, 11.8, 15.5), 0.60),
    (None, 6.0, (3.2, 4.2, 6.4, 9.4, 14.0, 18.4), 0.70),
)
EXPRESS = 1.8
LEVEL = {"Colissimo": 1.04, "Chronopost": 1.0, "DHL": 0.98, "DPD": 1.0, "GLS": 0.93, "UPS": 1.05}


def demo_rates() -> dict:
    """The table as data (RateTableData's form): a card per carrier, lane, service and distance band."""
    return {"cards": [card for lane in _lanes() for card in _lane_cards(*lane)]}


def store_demo_rates(uow: UnitOfWork) -> None:
    """Version 1 of the rate table, saved by the system in the seed's transaction as save_rates saves one."""
    data = validate_rates(demo_rates()).model_dump(mode="json")
    insert_version(uow, rate_tables, SYSTEM, 1, COMMENT, rates=data)
    after = {"version": 1, "comment": COMMENT, "source": None, "cards": len(data["cards"])}
    uow.record(SYSTEM, "rate_table.saved", "rate_table", 1, before={"version": 0}, after=after,
               publish="rate_table.saved")  # fmt: skip
    routing_config.clear_cache()


def _lanes():
    for origin in COUNTRIES:
        for dest in COUNTRIES:
            for service in ("standard", "express"):
                yield origin, dest, service


def _lane_cards(origin: str, dest: str, service: str) -> list[dict]:
    bands = DOMESTIC if origin == dest else CROSS_BORDER
    return [
        _card(carrier, service, origin, dest, band)
        for carrier in carrier_picker(origin, dest, service).items
        for band in bands
    ]


def _card(carrier: str, service: str, origin: str, dest: str, band: tuple) -> dict:
    band_km, base_fee, prices, per_kg_over = band
    factor = LEVEL[carrier] * (EXPRESS if service == "express" else 1.0)
    breaks = [{"max_weight_kg": kg, "price": round(p * factor, 2)} for kg, p in zip(WEIGHTS_KG, prices)]
    fee = base_fee * LEVEL[carrier] * (2 if service == "express" else 1)
    return {
        "carrier": carrier, "service": service, "origin_country": origin, "dest_country": dest,
        "max_distance_km": band_km, "base_fee": round(fee, 2), "breaks": breaks,
        "per_kg_over": round(per_kg_over * factor, 2),
    }  # fmt: skip
