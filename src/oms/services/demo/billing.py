"""What the demo's carriers were quoted and what they billed for each parcel.

Quoted: the price its own carrier's card gives the parcel's service, lane, distance and weight, in the
demo's rate table (rates.py, which the seed saves as routing's version 1). Billed, by a mechanism the data
does not state and routing reliability must find (oms.domain.routing.reliability_learning, `cost_factor`):
1. GLS adds a fuel surcharge of 8% to every parcel;
2. every carrier adds a remote-area fee of 7.50 into Corsica (FR-20: Ajaccio, Bastia), about doubling a
   parcel's price there;
3. parcels over 10 kg are re-weighed upward and billed 12% more. That is no lane's doing: it lifts
   every lane a little, in proportion to its heavy parcels.
A parcel still on its way has no invoice yet: only delivered ones are charged. Pickups have no carrier,
so neither figure.
"""

from decimal import Decimal
from functools import cache

from oms.domain.routing.rates import RateCard
from oms.domain.routing.reliability import region_of
from oms.services.demo.model import Shipment
from oms.services.demo.rates import demo_rates
from oms.services.rate_table_data import to_rate_table, validate_rates

FUEL_SURCHARGE = {"GLS": 0.08}
REMOTE_AREA_FEE = {"FR-20": 7.50}
HEAVY_KG, REWEIGHED = 10.0, 0.12
_RATES = to_rate_table(validate_rates(demo_rates()))


def quoted_cost(shipment: Shipment, weight_kg: float) -> Decimal | None:
    """Its carrier's price for the parcel; None for a pickup (or a lane where no card of its carrier serves)."""
    if shipment.carrier is None:
        return None
    lane = _RATES.lane(shipment.service, shipment.node.country, shipment.city.country, shipment.km)
    card = None if lane is None else lane.card_of(shipment.carrier.name)
    return None if card is None else _price(card, weight_kg)


def charged_cost(shipment: Shipment, quoted: Decimal | None, weight_kg: float) -> Decimal | None:
    """What its carrier billed (asked of delivered parcels only): the quote with the hidden surcharges."""
    if quoted is None:
        return None
    factor = 1 + FUEL_SURCHARGE.get(shipment.carrier.name, 0.0) + (REWEIGHED if weight_kg > HEAVY_KG else 0.0)
    fee = _remote_area_fee(shipment.city.country, shipment.postal_code)
    return Decimal(f"{float(quoted) * factor + fee:.2f}")


# Memoised: a year's 60,000 parcels share a few hundred lanes and weights, and fewer postal codes.
@cache
def _price(card: RateCard, weight_kg: float) -> Decimal:
    return Decimal(f"{card.price(weight_kg):.2f}")


@cache
def _remote_area_fee(country: str, postal_code: str) -> float:
    return REMOTE_AREA_FEE.get(region_of(country, postal_code), 0.0)
