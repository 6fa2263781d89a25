"""The optional fields by which a shipped event or a carrier event says what the carrier charged for the
parcel (oms.services.shipping_costs). Left out of an event's stored form when absent, so an event sent
before they existed hashes as it did: its retry is still recognised."""

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from oms.services.catalog import Currency


def _absent(value: object) -> bool:
    return value is None


ChargedCost = Annotated[
    Decimal | None,
    Field(
        default=None, ge=0, max_digits=10, decimal_places=2, exclude_if=_absent,
        description="What the carrier billed for the shipment, surcharges included",
    ),
]  # fmt: skip
ChargeCurrency = Annotated[
    Currency | None,
    Field(default=None, exclude_if=_absent, description="The charge's currency; absent: the order's"),
]
