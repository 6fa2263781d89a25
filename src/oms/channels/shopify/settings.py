"""A Shopify channel's settings (channel_integrations.settings when adapter = shopify)."""

from pydantic import BaseModel, ConfigDict, Field


class ShopifySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    shop_domain: str = Field(min_length=1, max_length=255, pattern=r"^[a-z0-9][a-z0-9-]*\.myshopify\.com$")
