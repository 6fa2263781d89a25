"""Transit rules for live promises, from the carriers the history shipped with: each route's main
carrier and its nominal days, so the dates promised today read like those the history was promised."""

from oms.services.demo.carriers import CARRIERS, carrier_picker

COUNTRIES = ("FR", "DE", "BE", "NL")
LONG_HAUL_KM = 750  # beyond it, standard parcels take a day more (Carrier.nominal_days)
TRANSIT_COLUMNS = ("carrier", "service_level", "origin_country", "dest_country", "max_distance_km", "transit_days")


def transit_rule_rows() -> list[tuple]:
    rows = []
    for service in ("standard", "express"):
        for country in COUNTRIES:
            rows += _route(service, country, country, cross_border=False)
        rows += _route(service, None, None, cross_border=True)  # any other route is cross-border
    return rows


def _route(service: str, origin: str | None, dest: str | None, cross_border: bool) -> list[tuple]:
    carrier = CARRIERS[carrier_picker(origin or "", dest or "-", service).most_likely()]
    days = carrier.nominal_days(service, cross_border, km=0)
    if service != "standard":
        return [(carrier.name, service, origin, dest, None, days)]
    return [
        (carrier.name, service, origin, dest, LONG_HAUL_KM, days),
        (carrier.name, service, origin, dest, None, carrier.nominal_days(service, cross_border, km=LONG_HAUL_KM + 1)),
    ]
