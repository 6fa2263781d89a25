"""A Shopify channel's settings (channel_integrations.settings when adapter = shopify).

Only what an admin set is stored (the serializer drops fields left at their default), so a default
improved later applies to every shop that did not choose otherwise. Example:

    {"shop_domain": "demo-shop.myshopify.com",
     "locations": {"WH-LYON": 65544149, "ST-PARIS": 65544150},
     "pickup_locations": {"Paris Rivoli": "ST-PARIS"},
     "service_levels": [{"contains": "chronopost", "service_level": "express"}]}
"""

from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints, model_serializer

from oms.services.order_models import ServiceLevel

FinancialStatus = Literal["pending", "authorized", "partially_paid", "paid", "partially_refunded", "refunded", "voided"]
NodeId = Annotated[str, StringConstraints(min_length=1, max_length=40)]
LocationId = Annotated[int, Field(gt=0)]


class ServiceLevelRule(BaseModel):
    """A shipping line whose code or title contains `contains` (any case) ships at `service_level`."""

    model_config = ConfigDict(extra="forbid")

    contains: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=100)]
    service_level: ServiceLevel


# First match wins; a shipping line no rule matches (and an order without one) ships standard.
DEFAULT_SERVICE_LEVELS = [
    ServiceLevelRule(contains=words, service_level=level)
    for words, level in (("pickup", "pickup"), ("pick up", "pickup"), ("click & collect", "pickup"),
                         ("express", "express"), ("priority", "express"), ("next day", "express"),
                         ("next-day", "express"), ("overnight", "express"))
]  # fmt: skip
# Money not secured yet: the order is captured on a payment-review hold, lifted when Shopify says it is
# paid. A shop capturing payment by hand at shipment leaves "authorized" out.
DEFAULT_PAYMENT_HOLD: list[FinancialStatus] = ["pending", "authorized", "partially_paid", "voided"]


class ShopifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shop_domain: str = Field(min_length=1, max_length=255, pattern=r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
    api_version: str = Field(default="2024-10", pattern=r"^\d{4}-(01|04|07|10)$",
                             description="The Admin API version the OMS calls")  # fmt: skip
    admin_url: AnyHttpUrl | None = Field(
        default=None, description="Where the Admin API is called; https://{shop_domain} unless set"
    )
    locations: dict[NodeId, LocationId] = Field(
        default={}, description="OMS node -> Shopify location: the node's stock is pushed as that location's"
    )
    pickup_locations: dict[Annotated[str, StringConstraints(min_length=1, max_length=200)], NodeId] = Field(
        default={}, description="A pickup shipping line's title (or code) -> the store collecting the order"
    )
    service_levels: list[ServiceLevelRule] = Field(default=DEFAULT_SERVICE_LEVELS, max_length=100)
    payment_hold_statuses: list[FinancialStatus] = Field(
        default=DEFAULT_PAYMENT_HOLD, description="Financial statuses that capture an order on a payment-review hold"
    )

    @model_serializer(mode="wrap")
    def _only_what_was_set(self, handler):
        return {name: value for name, value in handler(self).items() if name in self.model_fields_set}

    def admin_base_url(self) -> str:
        return str(self.admin_url).rstrip("/") if self.admin_url else f"https://{self.shop_domain}"

    def pickup_node(self, names: list[str | None], location_id: int | None) -> str | None:
        """The store collecting a pickup order: by the shipping line's title or code, else by the
        Shopify location the order names (the reverse of `locations`)."""
        for name in names:
            if name and name.strip() in self.pickup_locations:
                return self.pickup_locations[name.strip()]
        return next((node for node, location in self.locations.items() if location == location_id), None)
