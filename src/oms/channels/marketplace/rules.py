"""Field rules: how one field of the order-capture command is read from a marketplace's order JSON.

A rule is a path (`"ShippingAddress.City"`, the short form), or an object:
- `path`: a dotted path, or a list of several whose values are joined with a space (first name and last name);
  paths of line fields are read in each element of the `lines` array;
- `default`: the value when the path is absent, null or empty, or a constant when there is no path; it
  may quote `{order_id}` (the marketplace's order id) and, in a line field, `{line_no}` (1, 2, ...);
- `map`: marketplace value -> OMS value (`{"Expedited": "express"}`); a value it lacks takes `otherwise`,
  or is refused when there is no `otherwise`;
- `convert`: `country_alpha3` reads an ISO 3166 alpha-3 country code (Mirakl's) as the alpha-2 one.
"""

import string
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from oms.channels.marketplace.paths import PATH_PATTERN, Steps, steps
from oms.domain.countries import ISO_COUNTRIES

Target = Literal[
    "order_id", "customer_name", "customer_email", "customer_phone", "ship_name", "ship_line1", "ship_line2",
    "ship_postal_code", "ship_city", "ship_country", "ship_phone", "currency", "service_level", "lines",
    "line_id", "sku", "quantity", "unit_price", "line_total",  # line fields: read in each element of lines
]  # fmt: skip
LINE_TARGETS = frozenset({"line_id", "sku", "quantity", "unit_price", "line_total"})
REQUIRED = ("order_id", "customer_name", "customer_email", "ship_name", "ship_line1", "ship_postal_code", "ship_city",
            "ship_country", "lines", "line_id", "sku", "quantity")  # fmt: skip
PRICES = ("unit_price", "line_total")  # exactly one: Amazon's ItemPrice is the line's total
NUMBERS = frozenset({"quantity", "unit_price", "line_total"})
SERVICE_LEVELS = frozenset({"standard", "express"})  # pickup needs a store the marketplace cannot name

Path = Annotated[str, StringConstraints(max_length=200, pattern=PATH_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class FieldRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: Annotated[list[Path], Field(min_length=1, max_length=5)] | None = None
    default: Text | None = None
    map: Annotated[dict[Text, Text], Field(max_length=500)] | None = None
    otherwise: Text | None = None
    convert: Literal["country_alpha3"] | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value):
        """A path alone stands for {"path": [path]}, and one path for a list of one."""
        value = {"path": value} if isinstance(value, str) else value
        if isinstance(value, dict) and isinstance(value.get("path"), str):
            value = {**value, "path": [value["path"]]}
        return value

    @model_validator(mode="after")
    def _coherent(self) -> "FieldRule":
        if self.path is None and self.default is None:
            raise ValueError("a rule needs a path or a default")
        if self.otherwise is not None and self.map is None:
            raise ValueError("otherwise applies to values a map lacks: give the map")
        return self

    def paths(self) -> list[Steps]:
        return [steps(p) for p in self.path or ()]

    def constants(self) -> dict[str, str]:
        """The values this rule may produce without reading them (by attribute)."""
        found = {"default": self.default, "otherwise": self.otherwise}
        found |= {f"map.{key}": value for key, value in (self.map or {}).items()}
        return {name: value for name, value in found.items() if value is not None}


def problems(target: str, rule: FieldRule) -> list[tuple[tuple[str, ...], str]]:
    """What is wrong with `rule` for `target`, as (location in the rule, message)."""
    found = _placeholder_problems(target, rule)
    if target == "lines" and (len(rule.path or ()) != 1 or rule.constants() or rule.convert):
        found.append(((), "lines is the path of the array of lines, and nothing else"))
    if target == "order_id" and rule.constants():  # one constant id would make every order a replay of the first
        found.append(((), "order_id is each order's own id: read from the order, never a default or a map"))
    if rule.convert and target != "ship_country":
        found.append((("convert",), "only ship_country converts (country_alpha3)"))
    if (rule.map or rule.convert) and target in NUMBERS:
        found.append(((), f"{target} is a number: no map or convert"))
    check = _CONSTANT_CHECKS.get(target)
    for name, value in rule.constants().items() if check else ():
        if message := check(value):
            found.append(((*name.split(".", 1),), message))
    return found


def _placeholder_problems(target: str, rule: FieldRule) -> list[tuple[tuple[str, ...], str]]:
    allowed = {"order_id", "line_no"} if target in LINE_TARGETS else {"order_id"}
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(rule.default or "")
                  if name is not None]  # fmt: skip
    except ValueError as error:
        return [(("default",), f"bad placeholder: {error}")]
    if any(name not in allowed or spec or conversion for name, spec, conversion in fields):
        return [(("default",), f"the placeholders allowed here are {', '.join(f'{{{n}}}' for n in sorted(allowed))}")]
    return []


def _service_level(value: str) -> str | None:
    return None if value in SERVICE_LEVELS else f"'{value}' is no service level (standard, express)"


def _country(value: str) -> str | None:
    return None if value in ISO_COUNTRIES else f"'{value}' is no ISO 3166-1 alpha-2 country code"


def _currency(value: str) -> str | None:
    return None if len(value) == 3 and value.isascii() and value.isupper() else f"'{value}' is no currency code"


def _number(value: str) -> str | None:
    try:
        Decimal(value)
    except InvalidOperation:
        return f"'{value}' is no number"
    return None


_CONSTANT_CHECKS = {"service_level": _service_level, "ship_country": _country, "currency": _currency,
                    "quantity": _number, "unit_price": _number, "line_total": _number}  # fmt: skip
