"""An EDI trading partner's settings (channel_integrations.settings when adapter = edi).

Every field has a default, so a partner can be set up with none: interchanges from anyone addressed to
anyone are then accepted, and documents we send answer to the parties of the purchase order's own
envelope (its receiver as our id, its sender as theirs).
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from oms.services.order_models import Country, ServiceLevel

Qualifier = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z0-9]{2}$")]
PartyId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=15)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True, min_length=1, max_length=80)]
Email = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Separator = Annotated[str, StringConstraints(min_length=1, max_length=1)]


class OutboundSeparators(BaseModel):
    """The delimiters of the documents we send (855, 856); `line_break` puts each segment on its line."""

    model_config = ConfigDict(extra="forbid")

    element: Separator = "*"
    component: Separator = ">"
    segment: Separator = "~"
    repetition: Separator = "^"  # 005010 only (ISA11)
    line_break: bool = True

    @model_validator(mode="after")
    def _distinct(self) -> "OutboundSeparators":
        chars = [self.element, self.component, self.segment, self.repetition]
        if len(set(chars)) < len(chars):
            raise ValueError("the element, component, segment and repetition separators must differ")
        if any(c.isalnum() or c.isspace() for c in chars):
            raise ValueError("a separator may be neither a letter, a digit nor a space")
        return self


class EdiSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partner_qualifier: Qualifier | None = Field(default=None, description="ISA05 the partner sends as")
    partner_id: PartyId | None = Field(default=None, description="ISA06; set: interchanges from others are refused")
    our_qualifier: Qualifier | None = Field(default=None, description="ISA07 the partner addresses us with")
    our_id: PartyId | None = Field(default=None, description="ISA08; set: interchanges to others are refused")
    sku_qualifiers: list[Code] = Field(default=["VP", "SK"], description="PO1 product id qualifiers that give our SKU")
    gtin_qualifiers: list[Code] = Field(default=["UP", "EN", "UK"],
                                        description="PO1 product id qualifiers resolved to a SKU by its barcode")
    units: list[Code] = Field(default=["EA"], description="PO103 units of measure accepted (as single units)")
    default_email: Email | None = Field(default=None, description="The customer's e-mail when the PO has no PER EM")
    default_country: Country | None = Field(default=None, description="When an N4 has no country (N404)")
    service_levels: dict[Code, ServiceLevel] = Field(
        default={}, description="TD5 codes (TD512 service level, TD505 routing, TD503 carrier) to service levels;"
                                " standard when none matches")  # fmt: skip
    stores: dict[Code, str] = Field(
        default={}, description="Ship-to location codes (N1*ST with N103 92) to our pickup stores' node ids")
    version: Literal["004010", "005010"] | None = Field(
        default=None, description="Of the documents we send; by default that of the purchase order they answer")
    usage: Literal["P", "T"] = Field(default="P", description="ISA15 of the documents we send: production or test")
    separators: OutboundSeparators = OutboundSeparators()

    @model_validator(mode="after")
    def _pairs(self) -> "EdiSettings":
        for qualifier, party in (("partner_qualifier", "partner_id"), ("our_qualifier", "our_id")):
            if (getattr(self, qualifier) is None) != (getattr(self, party) is None):
                raise ValueError(f"{qualifier} and {party} go together")
        return self
