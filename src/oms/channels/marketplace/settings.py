"""A marketplace channel's settings (channel_integrations.settings when adapter = marketplace)."""

from pydantic import BaseModel, ConfigDict


class MarketplaceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
