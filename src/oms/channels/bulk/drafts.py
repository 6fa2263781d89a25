"""From an order's rows to the OrderCreate the API takes, checked against what the database knows, and
every error pointed back at its row and column."""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from pydantic import ValidationError

from oms.channels.bulk.grouping import FileOrder, RowError
from oms.channels.bulk.reading import Row
from oms.services.order_models import OrderCreate

# Where each column goes in the order command.
ORDER_PATHS = {
    "order_ref": ("external_id",), "customer_name": ("customer", "name"),
    "customer_email": ("customer", "email"), "customer_phone": ("customer", "phone"),
    "ship_name": ("ship_to", "name"), "ship_line1": ("ship_to", "line1"), "ship_line2": ("ship_to", "line2"),
    "ship_postal_code": ("ship_to", "postal_code"), "ship_city": ("ship_to", "city"),
    "ship_country": ("ship_to", "country"), "service_level": ("service_level",),
    "pickup_node_id": ("pickup_node_id",), "currency": ("currency",), "notes": ("notes",),
}  # fmt: skip
LINE_FIELDS = {"line_ref": "external_line_id", "sku": "sku", "quantity": "quantity",
               "unit_price": "unit_price"}  # fmt: skip
_ORDER_COLUMN_AT = {path: column for column, path in ORDER_PATHS.items()}
_LINE_COLUMN_AT = {name: column for column, name in LINE_FIELDS.items()}
_TIDY = {"currency": str.upper, "service_level": str.lower}  # what a person types, as the command spells it
# Countries whose postal codes are all digits, and how many.
POSTAL_DIGITS = {"FR": 5, "DE": 5, "ES": 5, "IT": 5, "FI": 5, "US": 5,
                 "BE": 4, "AT": 4, "CH": 4, "DK": 4, "LU": 4, "NO": 4}  # fmt: skip


@dataclass(frozen=True, slots=True)
class CatalogueItem:
    unit_price: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class Facts:
    """What the database knows that an order of the file must match."""

    catalogue: Mapping[str, CatalogueItem]  # the active products among the file's SKUs
    pickup_stores: frozenset[str]  # the active pickup stores among the file's pickup_node_ids


@dataclass(frozen=True, slots=True)
class Draft:
    """An order of the file validated as a command, or the errors that keep it out."""

    order: FileOrder
    command: OrderCreate | None
    line_rows: list[int]  # the row of each of the command's lines
    errors: list[RowError]


def draft_order(order: FileOrder, channel: str, facts: Facts) -> Draft:
    """The order as the OrderCreate the API takes, checked against `facts` as capture will check it (so
    that no order of a file is written before every order is known to pass). A blank unit price is the
    catalogue's, when the catalogue prices the SKU in the order's currency. A row repeating a SKU (or
    line_ref) of the order is an error of its own and left out of the lines validated."""
    body = _order_body(order, channel)
    currency = body.get("currency", OrderCreate.model_fields["currency"].default)
    repeated = _repeats(order, "sku") + _repeats(order, "line_ref")
    refused = {e.row for e in repeated}
    errors = order.errors + repeated
    line_rows, lines = [], []
    for row in order.lines:
        if row.number not in refused:
            line, line_errors = _line(row, currency, facts.catalogue, order.ref)
            errors += line_errors + [RowError(row.number, column, message, order.ref, "ambiguous_number")
                                     for column, message in row.unreadable.items()]  # fmt: skip
            line_rows.append(row.number)
            lines.append(line)
    body["lines"] = lines
    try:
        command = OrderCreate.model_validate(body)
    except ValidationError as invalid:
        errors += [RowError(*locate(order, line_rows, e["loc"]), _message(e["msg"]), order.ref, e["type"])
                   for e in invalid.errors()]  # fmt: skip
        command = None
    if command is not None:
        errors += _pickup_errors(order, command, facts.pickup_stores)
    errors = sorted(dict.fromkeys(errors), key=_in_file_order)  # one message once per cell
    return Draft(order, None if errors else command, line_rows, errors)


def _order_body(order: FileOrder, channel: str) -> dict:
    """The order-level part of the command: what the rows say, as a person typed it, tidied."""
    body: dict = {"channel": channel, "customer": {}, "ship_to": {}}
    values = {c: _TIDY.get(c, str)(v) for c, v in order.values.items()}
    values.setdefault("ship_name", values.get("customer_name"))
    postal_code, country = values.get("ship_postal_code", ""), values.get("ship_country", "").upper()
    if postal_code.isdigit() and len(postal_code) < POSTAL_DIGITS.get(country, 0):
        # A spreadsheet took the postal code for a number and dropped its leading zero: 1067 is 01067.
        values["ship_postal_code"] = postal_code.zfill(POSTAL_DIGITS[country])
    for column, value in values.items():
        if value is not None:
            *parents, name = ORDER_PATHS[column]
            (body[parents[0]] if parents else body)[name] = value
    return body


def _line(row: Row, currency: str, catalogue: Mapping[str, CatalogueItem], ref: str) -> tuple[dict, list]:
    """A row's line of the command, and what the catalogue says against it: an unknown SKU, or no price
    of its own and none in the catalogue in the order's currency (the price then set to 0, so that only
    that error is reported about it)."""
    line = {LINE_FIELDS[c]: v for c, v in row.cells.items() if c in LINE_FIELDS}
    sku = line.get("sku")
    item = catalogue.get(sku)
    if sku is not None and item is None:
        line.setdefault("unit_price", Decimal(0))
        return line, [RowError(row.number, "sku", f"unknown or inactive SKU '{sku}'", ref, "unknown_sku")]
    if "unit_price" in line or item is None:
        return line, []
    if item.currency != currency:
        message = f"blank, and the catalogue prices this SKU in {item.currency}, not {currency}"
        error = RowError(row.number, "unit_price", message, ref, "missing")
        return line | {"unit_price": Decimal(0)}, [error]
    return line | {"unit_price": item.unit_price}, []


def _pickup_errors(order: FileOrder, command: OrderCreate, stores: frozenset[str]) -> list[RowError]:
    if command.service_level != "pickup":
        return []
    row = order.column_row("pickup_node_id")
    if not command.pickup_node_id:
        message = "pickup orders need the collecting store"
        return [RowError(row, "pickup_node_id", message, order.ref, "missing")]
    if command.pickup_node_id not in stores:
        message = f"'{command.pickup_node_id}' is no active pickup store"
        return [RowError(row, "pickup_node_id", message, order.ref, "invalid")]
    return []


def _repeats(order: FileOrder, column: str) -> list[RowError]:
    first: dict[str, int] = {}
    errors = []
    for row in order.lines:
        value = row.cells.get(column)
        if value is not None and value in first:
            message = f"'{value}' is already on row {first[value]} of this order"
            errors.append(RowError(row.number, column, message, order.ref, "duplicate"))
        elif value is not None:
            first[value] = row.number
    return errors


def locate(order: FileOrder, line_rows: list[int], loc: tuple) -> tuple[int, str]:
    """The row and column of an error at `loc` in the order's command (a pydantic error's location, or
    a service's field path)."""
    if loc[:1] == ("lines",) and len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(line_rows):
        return line_rows[loc[1]], _LINE_COLUMN_AT.get(loc[2], "") if len(loc) > 2 else ""
    column = _ORDER_COLUMN_AT.get(tuple(loc[:2])) or _ORDER_COLUMN_AT.get(tuple(loc[:1])) or ""
    if column == "ship_name" and "ship_name" not in order.values:
        column = "customer_name"  # the ship-to name was the customer's
    return order.column_row(column), column


def _message(text: str) -> str:
    return text.removeprefix("Value error, ")


def _in_file_order(error: RowError) -> tuple[int, str]:
    return error.row, error.column
