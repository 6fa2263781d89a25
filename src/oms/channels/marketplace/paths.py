"""Dotted paths into a marketplace's order JSON: `ShippingAddress.City`, `customer.shipping_address.zip_code`,
`order_additional_fields[0].value`. A path is a tuple of steps (object keys and array indexes), which is also
how a problem names the marketplace's own field (`order_lines/1/offer_sku`)."""

import re
from typing import Any

PATH_PATTERN = r"^[^.\[\]\s]+(\[\d+\])*(\.[^.\[\]\s]+(\[\d+\])*)*$"
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
MISSING = object()  # what `read` returns for a path the document does not have

Steps = tuple[str | int, ...]


def steps(path: str) -> Steps:
    """The steps of a path that matched PATH_PATTERN."""
    return tuple(key if key else int(index) for key, index in _STEP.findall(path))


def read(document: Any, path: Steps) -> Any:
    """The value at `path`, or MISSING where the document has no such key or index."""
    value = document
    for step in path:
        found = (isinstance(step, int) and isinstance(value, list) and step < len(value)) or (
            isinstance(step, str) and isinstance(value, dict) and step in value
        )
        if not found:
            return MISSING
        value = value[step]
    return value
