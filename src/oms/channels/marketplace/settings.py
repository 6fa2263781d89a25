"""A marketplace channel's settings (channel_integrations.settings when adapter = marketplace).

`preset` (amazon, mirakl) gives a whole mapping; `fields` adds to it or replaces it field by field (a
field set to null drops the preset's rule of an optional field). Without a preset, `fields` is the whole
mapping. Checked when saved: every required field mapped, exactly one of unit_price and line_total,
constants that are valid values (service levels, countries, currencies, numbers); each problem is a
field-level error such as settings.fields.service_level.map.EXP.

Example: {"preset": "mirakl", "fields": {"service_level": {"path": "shipping_type_code",
"map": {"EXP-FR": "express"}, "otherwise": "standard"}}, "refuse_unavailable": true}
"""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import InitErrorDetails, PydanticCustomError

from oms.channels.marketplace.presets import PRESETS
from oms.channels.marketplace.rules import PRICES, REQUIRED, FieldRule, Target, problems

Preset = Literal["amazon", "mirakl"]
AckFormat = Literal["amazon", "mirakl", "generic"]


class MarketplaceSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    preset: Preset | None = Field(default=None, description="A built-in mapping: amazon or mirakl")
    fields: dict[Target, FieldRule | None] = Field(default={}, description="Rules added to or replacing the preset's")
    acknowledgement: AckFormat | None = Field(
        default=None, description="The format of acknowledgements: the preset's by default, else generic"
    )
    refuse_unavailable: bool = Field(
        default=True, description="Refuse a line the channel's stock cannot ship whole now (else backorder it)"
    )

    @model_validator(mode="after")
    def _complete(self) -> "MarketplaceSettings":
        errors = [_error((target, *where), message)
                  for target, rule in self.mapping().items() for where, message in problems(target, rule)]  # fmt: skip
        mapping = self.mapping()
        errors += [_error((target,), f"{target} must be mapped") for target in REQUIRED if target not in mapping]
        prices = [target for target in PRICES if target in mapping]
        if len(prices) != 1:
            errors.append(_error(("unit_price",), "map exactly one of unit_price and line_total"))
        if errors:
            raise ValidationError.from_exception_data(type(self).__name__, errors)
        return self

    def mapping(self) -> dict[str, FieldRule]:
        """The preset's rules with this channel's own on top."""
        merged = dict(PRESETS[self.preset]) if self.preset else {}
        merged.update(self.fields)
        return {target: rule for target, rule in merged.items() if rule is not None}

    def ack_format(self) -> AckFormat:
        return self.acknowledgement or self.preset or "generic"


def _error(where: tuple, message: str) -> InitErrorDetails:
    return InitErrorDetails(type=PydanticCustomError("mapping", message), loc=("fields", *where), input=None)
