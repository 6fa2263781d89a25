"""An EDI trading partner's settings (channel_integrations.settings when adapter = edi)."""

from pydantic import BaseModel, ConfigDict


class EdiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
