"""Rate tables as data: the JSON form of the domain's rate cards, validated card by card (the domain's
RateCard checks the weight breaks), read from CSV (oms.domain.routing.rate_csv), and the built-in
placeholder table. Problems come with their path: `cards.3.breaks` in data, `rows.7.price` in a CSV."""

import json
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from oms.domain.routing.rate_csv import RateTableError, parse_rate_csv
from oms.domain.routing.rates import RateCard, RateTable
from oms.services.errors import FieldError, ValidationFailed
from oms.services.routing_versions import pydantic_errors

Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO code in capitals; absent for any")]


class WeightBreak(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_weight_kg: float = Field(gt=0, description="Shipments up to this weight pay `price`")
    price: float = Field(ge=0)


class RateCardData(BaseModel):
    """One carrier service on a zone and distance band: a base fee per shipment plus a weight break."""

    model_config = ConfigDict(extra="forbid")

    carrier: str = Field(min_length=1, max_length=40)
    service: Literal["standard", "express"]
    origin_country: Country | None = None
    dest_country: Country | None = None
    max_distance_km: float | None = Field(default=None, ge=0, description="Upper bound of the band")
    breaks: list[WeightBreak] = Field(min_length=1)
    base_fee: float = Field(default=0.0, ge=0, description="Charged once per shipment")
    per_kg_over: float = Field(default=0.0, ge=0, description="Per kg above the heaviest break")

    def key(self) -> tuple:
        return (self.carrier, self.service, self.origin_country, self.dest_country, self.max_distance_km)


class RateTableData(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cards: list[RateCardData] = Field(min_length=1)


def _placeholder(band_km: float | None, base_fee: float, prices: tuple, per_kg_over: float) -> list[dict]:
    """A standard and an express card for one distance band; express costs 1.8 times as much, twice the fee."""
    cards = []
    for service, fee, factor in (("standard", base_fee, 1.0), ("express", 2 * base_fee, 1.8)):
        breaks = [{"max_weight_kg": kg, "price": round(p * factor, 2)} for kg, p in zip((1, 5, 20), prices)]
        card = {"carrier": "default", "service": service, "max_distance_km": band_km, "base_fee": fee}
        cards.append(card | {"breaks": breaks, "per_kg_over": round(per_kg_over * factor, 2)})
    return cards


# Placeholder prices (cheaper near, dearer far), active until a real table is saved.
BUILTIN_RATES = {
    "cards": _placeholder(300, 3.5, (1.4, 3.0, 7.5), 0.4)
    + _placeholder(1000, 4.5, (2.0, 4.2, 9.9), 0.5)
    + _placeholder(None, 6.0, (3.5, 6.5, 14.0), 0.7)
}
BUILTIN_COMMENT = "built-in placeholder rates; import your carriers' rates (CSV) to replace them"


def validate_rates(data: object) -> RateTableData:
    try:
        table = RateTableData.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(pydantic_errors(exc)) from None
    # Breaks in weight order, as a CSV import sorts them: only repeated weights and cheaper heavier breaks
    # are mistakes.
    cards = [c.model_copy(update={"breaks": sorted(c.breaks, key=_weight)}) for c in table.cards]
    if errors := _card_errors(cards):
        raise ValidationFailed(errors)
    return RateTableData.model_construct(cards=cards)


def _weight(b: WeightBreak) -> float:
    return b.max_weight_kg


def _card_errors(cards: list[RateCardData]) -> list[FieldError]:
    errors, first = [], {}
    for i, card in enumerate(cards):
        if (j := first.setdefault(card.key(), i)) != i:
            errors.append(
                FieldError(("cards", i), f"same carrier, service, zone and band as card {j}", "duplicate")
            )
        try:
            to_card(card)
        except ValueError as exc:
            errors.append(FieldError(("cards", i, "breaks"), str(exc).split(": ", 1)[-1]))
    return errors


_ROW = re.compile(r"row (\d+): (?:([a-z_]+): )?(.*)", re.DOTALL)


def rates_from_text(text: str, fmt: Literal["csv", "json"]) -> RateTableData:
    if fmt == "csv":
        return rates_from_csv(text)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed([FieldError((), f"not valid json: {exc}", "syntax")]) from None
    return validate_rates(data)


def rates_from_csv(text: str) -> RateTableData:
    """The table in a rate CSV (see oms.domain.routing.rate_csv); every bad row is reported."""
    try:
        cards = parse_rate_csv(text)
    except RateTableError as exc:
        raise ValidationFailed([_row_error(e) for e in exc.errors]) from None
    return validate_rates({"cards": [_card_data(c) for c in cards]})


def _row_error(error: str) -> FieldError:
    match = _ROW.fullmatch(error)
    if not match:
        return FieldError((), error)
    row, column, message = match.groups()
    return FieldError(("rows", int(row)) + ((column,) if column else ()), message)


def _card_data(card: RateCard) -> dict:
    return {
        "carrier": card.carrier, "service": card.service, "origin_country": card.origin_country,
        "dest_country": card.dest_country, "max_distance_km": card.max_distance_km,
        "breaks": [{"max_weight_kg": kg, "price": price} for kg, price in card.breaks],
        "base_fee": card.base_fee, "per_kg_over": card.per_kg_over,
    }  # fmt: skip


def to_card(card: RateCardData) -> RateCard:
    breaks = tuple((b.max_weight_kg, b.price) for b in card.breaks)
    return RateCard(*card.key(), breaks, card.base_fee, card.per_kg_over)


def to_rate_table(data: RateTableData) -> RateTable:
    """The domain's rate table, for routing."""
    return RateTable([to_card(c) for c in data.cards])
