"""The columns of a bulk order file: one row per order line, the rows of an order sharing its order_ref.

Header names are matched case-insensitively, spaces, dots and hyphens read as underscores (none before a
digit: "Address 2" is address2), and a few names spreadsheets commonly use are understood as aliases
(`qty`, `zip`, `po_number`, ...).
"""

import re

# Order-level columns: the same on every row of an order (a row may leave them blank).
ORDER_COLUMNS = (
    "order_ref", "customer_name", "customer_email", "customer_phone",
    "ship_name", "ship_line1", "ship_line2", "ship_postal_code", "ship_city", "ship_country",
    "service_level", "pickup_node_id", "currency", "notes",
)  # fmt: skip
LINE_COLUMNS = ("line_ref", "sku", "quantity", "unit_price")
COLUMNS = ORDER_COLUMNS + LINE_COLUMNS
# Without these a file cannot make an order; ship_name defaults to customer_name, unit_price to the
# catalogue price, the rest to the order command's defaults.
REQUIRED = ("order_ref", "customer_name", "customer_email", "ship_line1", "ship_postal_code", "ship_city",
            "ship_country", "sku", "quantity")  # fmt: skip
NUMBERS = ("quantity", "unit_price")

ALIASES = {
    "order_ref": ("order", "order_id", "order_no", "order_number", "order_reference", "po", "po_number",
                  "purchase_order", "reference", "external_id"),
    "customer_name": ("customer", "company", "buyer"),
    "customer_email": ("email", "e_mail", "customer_e_mail"),
    "customer_phone": ("phone", "telephone"),
    "ship_name": ("ship_to_name", "ship_to", "recipient", "consignee"),
    "ship_line1": ("ship_address", "ship_address1", "ship_address_line1", "address", "address1",
                   "address_line1", "street"),
    "ship_line2": ("ship_address2", "ship_address_line2", "address2", "address_line2"),
    "ship_postal_code": ("ship_postcode", "ship_zip", "postal_code", "postcode", "zip", "zip_code"),
    "ship_city": ("city", "town"),
    "ship_country": ("country", "country_code", "ship_country_code"),
    "service_level": ("service", "shipping_service"),
    "pickup_node_id": ("pickup_node", "pickup_store"),
    "notes": ("note", "comment", "comments"),
    "line_ref": ("line", "line_id", "line_no", "line_number", "po_line", "external_line_id"),
    "sku": ("item", "item_sku", "article", "product", "product_sku"),
    "quantity": ("qty", "quantity_ordered"),
    "unit_price": ("price", "net_price", "unit_net_price"),
}  # fmt: skip
_CANONICAL = {name: name for name in COLUMNS} | {
    alias: name for name, aliases in ALIASES.items() for alias in aliases
}


FILE_FORMAT = (
    "One row per order line, the rows of an order sharing its order_ref. Columns (header names in any case;"
    f" aliases such as qty, zip, po_number understood): {', '.join(REQUIRED)}; optional: "
    f"{', '.join(c for c in COLUMNS if c not in REQUIRED)}. A blank ship_name is the customer_name, a blank"
    " unit_price the catalogue's; order-level columns may be left blank on an order's other rows, and where"
    " given must agree."
)


class BulkFileError(Exception):
    """The file cannot be imported at all: unreadable, empty, or without a required column."""


def normalise(header: str) -> str:
    """"Ship Line 1" -> "ship_line1", "E-Mail" -> "e_mail"."""
    return re.sub(r"_(?=\d)", "", re.sub(r"[\s.\-]+", "_", header.strip().lower()).strip("_"))


def map_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    """Which column each position of `header` holds ({position: column}), and the headers not
    understood (ignored). Raises BulkFileError for a required column missing or a column given twice."""
    positions: dict[int, str] = {}
    ignored: list[str] = []
    for position, name in enumerate(header):
        column = _CANONICAL.get(normalise(name))
        if column is None:
            if name.strip():
                ignored.append(name.strip())
        elif column in positions.values():
            raise BulkFileError(f"column '{column}' is given twice (header '{name.strip()}')")
        else:
            positions[position] = column
    if missing := [c for c in REQUIRED if c not in positions.values()]:
        raise BulkFileError(f"missing required column(s): {', '.join(missing)}")
    return positions, ignored
