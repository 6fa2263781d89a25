"""Amounts and quantities as printed: 1,234.56 / 1.234,56 / 1 234,56 / 1'234.56 / 1234 / -12,50 / (12.50),
with or without a currency beside them. Which mark is the decimal one is decided per document when a
single mark before three digits leaves it open ("1,234"): the other amounts tell, else the language."""

import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

_CURRENCY = re.compile(
    r"[€$£¥]|\b(?:EUR|USD|GBP|CHF|SEK|DKK|NOK|PLN|CZK|JPY|CAD|AUD|zł|kr|Fr)\b\.?", re.IGNORECASE
)
_LONGEST = 20  # characters: beyond a trillion with cents it is a reference number, not an amount
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
_SHAPE = re.compile(r"\d{1,3}(?:([.,])\d{3})*(?:([.,])\d+)?|\d+(?:([.,])\d+)?")


def _plain(text: str) -> tuple[str, bool] | None:
    """The digits and marks alone, and whether the amount is negative; None for anything else."""
    text = _CURRENCY.sub("", text.strip()).strip()
    negative = text.startswith(("-", "−", "(")) or text.endswith(("-", ")"))
    text = _SPACES.sub("", text.strip("-−()+ "))
    if not text or len(text) > _LONGEST or not _SHAPE.fullmatch(text):
        return None
    return text, negative


def is_number(text: str) -> bool:
    return _plain(text) is not None


def parse_number(text: str, decimal_mark: str = ".") -> Decimal | None:
    """The number, reading a lone mark before exactly three digits as `decimal_mark` says."""
    plain = _plain(text)
    if plain is None:
        return None
    digits, negative = plain
    mark = _decimal_mark(digits) or decimal_mark
    thousands = "," if mark == "." else "."
    digits = digits.replace(thousands, "").replace(mark, ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    return -value if negative else value


def _decimal_mark(digits: str) -> str | None:
    """The decimal mark the number settles by itself, or None when it cannot (no mark, or "1,234")."""
    marks = [c for c in digits if c in ".,"]
    if not marks:
        return "."
    if len(set(marks)) == 2:
        return marks[-1]
    if len(marks) > 1:
        return "," if marks[0] == "." else "."
    if len(digits) - digits.index(marks[0]) - 1 != 3:
        return marks[0]
    return None


def document_decimal_mark(texts: Iterable[str], language: str | None) -> str:
    """The decimal mark most of the document's numbers settle; the language's custom when none does."""
    votes = Counter()
    for text in texts:
        plain = _plain(text)
        if plain and any(c in ".," for c in plain[0]):
            mark = _decimal_mark(plain[0])
            if mark:
                votes[mark] += 1
    if votes:
        return votes.most_common(1)[0][0]
    return "." if language in (None, "en") else ","
