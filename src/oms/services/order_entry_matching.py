"""Which catalogue product a document's line is: its printed code as our SKU, as a barcode, as the
customer's own part number (each an exact match, scored 1), else the nearest descriptions
(oms.services.order_entry_similarity)."""

import re

from sqlalchemy import Connection, text

from oms.channels.documents.model import ExtractedLine
from oms.domain.gtin import is_valid_gtin
from oms.services.order_entry_similarity import Match, Product, by_similarity

_BARCODE_SEPARATORS = re.compile(r"[\s-]")

_BY_CODE = text(
    """
    SELECT sku, name, unit_price, currency, upper(sku) AS sku_key, ltrim(barcode, '0') AS barcode_key
    FROM products
    WHERE active AND (upper(sku) = ANY(:codes) OR ltrim(barcode, '0') = ANY(:barcodes))
    """
)
_BY_PART_NUMBER = text(
    """
    SELECT upper(c.part_number) AS part_key, p.sku, p.name, p.unit_price, p.currency
    FROM customer_part_numbers c JOIN products p ON p.sku = c.sku AND p.active
    WHERE c.customer_id = :customer_id AND upper(c.part_number) = ANY(:codes)
    """
)


def barcode_key(code: str) -> str | None:
    """A printed code as a GTIN (spaces and dashes dropped, valid check digit), without leading zeros:
    an EAN-13 and the GTIN-14 that pads it are the same article."""
    digits = _BARCODE_SEPARATORS.sub("", code)
    return digits.lstrip("0") if is_valid_gtin(digits) else None


def by_code(conn: Connection, codes: list[str]) -> tuple[dict[str, Product], dict[str, Product]]:
    """Active products whose SKU (any case) or barcode is one of `codes`: (by upper SKU, by barcode key)."""
    barcodes = [key for key in map(barcode_key, codes) if key]
    rows = conn.execute(_BY_CODE, {"codes": [c.upper() for c in codes], "barcodes": barcodes}).all()
    skus = {row.sku_key: Product.of(row) for row in rows}
    return skus, {row.barcode_key: Product.of(row) for row in rows if row.barcode_key}


def by_part_number(conn: Connection, customer_id: int | None, codes: list[str]) -> dict[str, Product]:
    """The customer's own part numbers among `codes` (by upper part number) and our products they name."""
    if customer_id is None or not codes:
        return {}
    rows = conn.execute(_BY_PART_NUMBER, {"customer_id": customer_id, "codes": [c.upper() for c in codes]})
    return {row.part_key: Product.of(row) for row in rows}


def match_lines(conn: Connection, lines: list[ExtractedLine], customer_id: int | None) -> list[Match]:
    """Each line's product: by an exact code when one is printed, else by its description."""
    codes = [code for line in lines for code in _codes(line)]
    skus, barcodes = by_code(conn, codes)
    parts = by_part_number(conn, customer_id, codes)
    matches = [_exact(line, skus, barcodes, parts) for line in lines]
    unmatched = [i for i, match in enumerate(matches) if match is None]
    texts = [f"{lines[i].description} {lines[i].code or ''}" for i in unmatched]
    for i, match in zip(unmatched, by_similarity(conn, texts), strict=True):
        matches[i] = match
    return matches


def _codes(line: ExtractedLine) -> list[str]:
    return [code.strip() for code in (_printed_code(line), line.customer_part_number) if code and code.strip()]


def _printed_code(line: ExtractedLine) -> str | None:
    """The code column's value, else the description's first word: a table whose code column was not
    recognised prints the code there (only an exact match uses it)."""
    words = line.description.split(maxsplit=1)
    return line.code or (words[0] if words else None)


def _exact(line: ExtractedLine, skus: dict, barcodes: dict, parts: dict) -> Match | None:
    """The printed code as our SKU, then as a barcode, then either code as the customer's part number."""
    printed = (_printed_code(line) or "").strip().upper()
    if printed in skus:
        return Match(skus[printed], 1.0, "sku")
    if printed and (key := barcode_key(printed)) in barcodes:
        return Match(barcodes[key], 1.0, "barcode")
    part = next((parts[code.upper()] for code in _codes(line) if code.upper() in parts), None)
    return Match(part, 1.0, "customer_part") if part else None
