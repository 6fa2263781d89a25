"""One table row read as a product line: its code, description, quantity, unit, unit price and line total
from the columns' words, with a confidence that says how cleanly they read and agree."""

import re
from decimal import ROUND_HALF_UP, Decimal

from oms.channels.documents.columns import UNPLACED
from oms.channels.documents.layout import Word
from oms.channels.documents.model import ExtractedLine
from oms.channels.documents.numbers import parse_number

CENT = Decimal("0.01")
_BRACKETED = re.compile(r"^\[([^\]\s]{2,})\]\s*(.*)$")
_CODE = re.compile(r"(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9][\w./-]{3,}|[A-Z0-9]{2,}(?:[-_/.][A-Z0-9]+)+")
_QUANTITY_WITH_UNIT = re.compile(r"^\s*([-\d.,' ]*\d)\s*([^\W\d]{1,12}\.?)?\s*$|.*")


def product_line(cells: dict[str, list[Word]], decimal_mark: str, page: int) -> ExtractedLine | None:
    """The row as a line when it has a quantity and a unit price or a line total; None otherwise."""
    quantity, unit = _quantity(cells, decimal_mark)
    price = _number(cells, "unit_price", decimal_mark)
    total = _number(cells, "amount", decimal_mark)
    description = _text(cells, "description")
    code = _text(cells, "code") or _code_like(cells)
    if code is None and description and (bracketed := _BRACKETED.match(description)):
        code, description = bracketed.groups()  # "[FURN_8888] Desk lamp", as some ERPs print lines
    elif code is None and description and _CODE.fullmatch(description):
        code, description = description, ""  # "Item/Description": the code, its description on the line below
    if quantity is None or (price is None and total is None) or not (code or description):
        return None
    derived = price is None and quantity != 0
    if derived:
        price = (total / quantity).quantize(CENT, ROUND_HALF_UP)
    return ExtractedLine(
        code=code,
        customer_part_number=_text(cells, "customer_part"),
        description=description or "",
        quantity=quantity,
        unit=_text(cells, "unit") or unit,
        unit_price=price,
        line_total=total,
        page=page,
        confidence=_confidence(code, quantity, price, total, derived),
    )


def looks_like_code(text: str) -> bool:
    """A word of letters and digits, capitals joined by dashes, or eight digits and more (a barcode)."""
    return bool(_CODE.fullmatch(text)) or (text.isdigit() and len(text) >= 8)


def _code_like(cells: dict[str, list[Word]]) -> str | None:
    """A product code under a header label that was not understood, or under "No." (a position to some, the
    item number to others): a word of letters and digits, or of eight digits and more (a barcode), never a
    line number; capitals joined by dashes ("SMD-GLV-NTM") are a code too."""
    for word in cells.get(UNPLACED, []) + cells.get("position", []):
        if looks_like_code(word.text):
            return word.text
    return None


def _quantity(cells: dict[str, list[Word]], decimal_mark: str) -> tuple[Decimal | None, str | None]:
    """The quantity, and the unit when it is printed in the same cell ("12 pcs", "3,5 kg")."""
    text = _text(cells, "quantity")
    if not text:
        return None, None
    if (quantity := parse_number(text, decimal_mark)) is not None:
        return quantity, None
    number, unit = _QUANTITY_WITH_UNIT.match(text).groups()
    return (parse_number(number, decimal_mark), unit) if unit else (None, None)


def _number(cells: dict[str, list[Word]], kind: str, decimal_mark: str) -> Decimal | None:
    text = _text(cells, kind)
    return parse_number(text, decimal_mark) if text else None


def _text(cells: dict[str, list[Word]], kind: str) -> str | None:
    words = cells.get(kind)
    return " ".join(word.text for word in words) if words else None


def _confidence(code, quantity, price, total, derived: bool) -> float:
    """High when the code is there and quantity x price gives the printed total; lower for each doubt."""
    confidence = 0.95
    if not code:
        confidence -= 0.25
    if derived or price is None:
        confidence -= 0.2
    elif total is not None and abs(quantity * price - total) > max(CENT, abs(total) * Decimal("0.001")):
        confidence -= 0.3
    return round(max(confidence, 0.1), 2)
