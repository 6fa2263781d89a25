"""A marketplace's order JSON, read through a channel's mapping, as the order-capture command.

Every problem is named by the marketplace's own field path (`customer/shipping_address/country_iso_code`,
`order_lines/1/quantity`), whether the mapping found nothing there or the command refused what it found.
"""

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from oms.channels.marketplace.countries import ALPHA2_BY_ALPHA3
from oms.channels.marketplace.paths import MISSING, Steps, read
from oms.channels.marketplace.rules import REQUIRED, FieldRule
from oms.services.errors import FieldError, ValidationFailed
from oms.services.order_models import OrderCreate

# Where each mapped field goes in the command (line fields: in each line).
ORDER_FIELDS: dict[str, tuple[str, ...]] = {
    "order_id": ("external_id",), "customer_name": ("customer", "name"), "customer_email": ("customer", "email"),
    "customer_phone": ("customer", "phone"), "ship_name": ("ship_to", "name"), "ship_line1": ("ship_to", "line1"),
    "ship_line2": ("ship_to", "line2"), "ship_postal_code": ("ship_to", "postal_code"),
    "ship_city": ("ship_to", "city"), "ship_country": ("ship_to", "country"), "ship_phone": ("ship_to", "phone"),
    "currency": ("currency",), "service_level": ("service_level",),
}  # fmt: skip
LINE_FIELDS = {"line_id": "external_line_id", "sku": "sku", "quantity": "quantity", "unit_price": "unit_price",
               "line_total": "unit_price"}  # fmt: skip
CENT = Decimal("0.01")
MAX_DIGITS = 15  # before the point: more than any quantity or amount


def parse(body: bytes) -> dict:
    """The order document, or 422 when the body is no JSON object."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError
        raise ValidationFailed([FieldError((), f"the body is not JSON: {error}", "json_invalid")]) from None
    if not isinstance(document, dict):
        raise ValidationFailed([FieldError((), "the body must be one order, a JSON object", "type")])
    return document


def marketplace_order_id(document: dict, mapping: dict[str, FieldRule], max_length: int | None = None) -> str:
    """The marketplace's id of the order (its dedupe key), or 422 naming where it should be (or where it
    is longer than `max_length`)."""
    reader = _Reader(mapping, "")
    value = reader.text("order_id", document, ())
    if value is not None and max_length is not None and len(value) > max_length:
        reader.fail(reader.last_path, "string_too_long", f"an order id is at most {max_length} characters")
    if reader.errors:
        raise ValidationFailed(reader.errors)
    return value


def to_command(document: dict, mapping: dict[str, FieldRule], channel: str) -> OrderCreate:
    """The capture command with every line of the order, or 422 naming the marketplace's paths."""
    order_id = marketplace_order_id(document, mapping)
    reader = _Reader(mapping, order_id)
    body: dict[str, Any] = {"channel": channel, "customer": {}, "ship_to": {}}
    for target, location in ORDER_FIELDS.items():
        if target in mapping:
            value = reader.text(target, document, ())
            reader.sources[location] = reader.last_path
            if value is not None:
                _put(body, location, value)
    body["lines"] = [_line(reader, element, at) for element, at in _elements(reader, document)]
    try:
        cmd = OrderCreate.model_validate(body)
    except ValidationError as error:
        # What the mapping could not read, the command misses too: one problem per path is enough.
        seen = {problem.path for problem in reader.errors}
        reader.errors += [FieldError(path, e["msg"], e["type"]) for e in error.errors()
                          if (path := reader.source_of(tuple(e["loc"]))) not in seen]  # fmt: skip
    if reader.errors:
        raise ValidationFailed(reader.errors)
    return cmd


def _elements(reader: "_Reader", document: dict) -> list[tuple[Any, Steps]]:
    (path,) = reader.mapping["lines"].paths()
    reader.sources[("lines",)] = path
    elements = read(document, path)
    if not isinstance(elements, list):
        reader.fail(path, "missing" if elements is MISSING else "type", "the order's lines must be an array here")
        return []
    return [(element, (*path, index)) for index, element in enumerate(elements)]


def _line(reader: "_Reader", element: Any, at: Steps) -> dict:
    index = at[-1]
    reader.sources[("lines", index)] = at
    if not isinstance(element, dict):
        reader.fail(at, "type", "a line must be an object")
        return {}
    line = {}
    for target, name in LINE_FIELDS.items():
        if target in reader.mapping:
            value = reader.text(target, element, at, line_no=index + 1)
            reader.sources[("lines", index, name)] = reader.last_path
            if value is not None:
                line[name] = value
    quantity = _number(reader, line, "quantity", ("lines", index, "quantity"))
    price = _number(reader, line, "unit_price", ("lines", index, "unit_price"))
    if "line_total" in reader.mapping and quantity is not None and price is not None and quantity >= 1:
        price = (price / quantity).quantize(CENT, ROUND_HALF_UP)  # a line total, e.g. Amazon's ItemPrice
    return line | {"quantity": quantity, "unit_price": price}


def _number(reader: "_Reader", line: dict, name: str, location: tuple) -> Decimal | None:
    """The line's `name` as a Decimal of at most MAX_DIGITS digits before the point; None when absent, or
    when it is no such number (noted where it was read): NaN, or 1e9999999, which the command would make
    an integer of ten million digits, minutes of CPU."""
    if name not in line:
        return None
    try:
        value = Decimal(line[name])
    except InvalidOperation:
        value = None
    if value is not None and value.is_finite() and value.adjusted() < MAX_DIGITS:
        return value
    reader.fail(reader.sources[location], "decimal_parsing", f"'{line[name]}' is not a number of at most"
                                                             f" {MAX_DIGITS} digits")  # fmt: skip
    return None


def _put(body: dict, location: tuple[str, ...], value: str) -> None:
    for key in location[:-1]:
        body = body[key]
    body[location[-1]] = value


class _Reader:
    """Reads mapped values, noting where each came from and what went wrong."""

    def __init__(self, mapping: dict[str, FieldRule], order_id: str):
        self.mapping = mapping
        self.order_id = order_id
        self.errors: list[FieldError] = []
        self.sources: dict[tuple, Steps] = {}  # a location in the command -> the marketplace's path
        self.last_path: Steps = ()

    def fail(self, path: Steps, code: str, message: str) -> None:
        self.errors.append(FieldError(path, message, code))

    def text(self, target: str, scope: Any, prefix: Steps, line_no: int | None = None) -> str | None:
        """The value of `target` read in `scope` (the order, or one line at `prefix`), as text."""
        rule = self.mapping[target]
        paths = [(*prefix, *path) for path in rule.paths()]
        self.last_path = paths[0] if paths else prefix
        found = []
        for path, relative in zip(paths, rule.paths(), strict=True):
            value = read(scope, relative)
            if isinstance(value, dict | list | bool):
                self.fail(path, "type", "expected a text or a number here")
                return None
            if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold it
                self.fail(path, "string_pattern_mismatch", "a NUL character (\\u0000) is no text")
                return None
            if value is not MISSING and value is not None and (text := str(value).strip()):
                found.append(text)
        if found:
            return self._translated(rule, " ".join(found))
        if rule.default is not None:
            return rule.default.format(order_id=self.order_id, line_no=line_no)
        if target in REQUIRED:
            self.fail(self.last_path, "missing", f"missing ({target})")
        return None

    def _translated(self, rule: FieldRule, value: str) -> str | None:
        if rule.map is not None:
            if value not in rule.map and rule.otherwise is None:
                self.fail(self.last_path, "unmapped", f"'{value}' is none of {', '.join(sorted(rule.map))}")
                return None
            value = rule.map.get(value, rule.otherwise)
        if rule.convert == "country_alpha3":
            if value.upper() not in ALPHA2_BY_ALPHA3:
                self.fail(self.last_path, "country", f"'{value}' is no ISO 3166-1 alpha-3 country code")
                return None
            value = ALPHA2_BY_ALPHA3[value.upper()]
        return value

    def source_of(self, location: tuple) -> Steps:
        """The marketplace's path of a location in the command (of its nearest mapped parent)."""
        for end in range(len(location), 0, -1):
            if location[:end] in self.sources:
                return self.sources[location[:end]]
        return ()
