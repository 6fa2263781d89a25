"""Dates as printed in the six languages: 2026-03-14, 14/03/2026 or 03/14/2026, 14.03.2026, 14-03-26,
"14 March 2026", "14. März 2026", "14 de marzo de 2026", "March 14, 2026". Whether a numeric date puts the
day first is decided per document (see day_first)."""

import datetime as dt
import re
from collections.abc import Iterable

from oms.channels.documents.labels import normalise

_MONTHS = {
    1: "january jan januar janvier janv januari enero ene gennaio gen janner",
    2: "february feb februar fevrier fevr fev februari febrero febbraio",
    3: "march mar marz mars maart mrt marzo",
    4: "april apr avril avr abril abr aprile",
    5: "may mai mei mayo maggio mag",
    6: "june jun juni juin junio giugno giu",
    7: "july jul juli juillet juil julio luglio lug",
    8: "august aug aout augustus agosto ago",
    9: "september sep sept septembre septiembre setiembre settembre set",
    10: "october oct oktober okt octobre octubre ottobre ott",
    11: "november nov novembre noviembre",
    12: "december dec dezember dez decembre diciembre dic dicembre",
}
MONTH_NUMBERS = {name: number for number, names in _MONTHS.items() for name in names.split()}
_ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})\b")
_ORDINAL = re.compile(r"^(\d{1,2})(?:er|st|nd|rd|th|o)$")  # 1er mars, March 1st
_FILLERS = {"de", "del", "of", "the", "den", "le"}


def find_date(text: str, day_first: bool = True) -> dt.date | None:
    """The first date in the text, numeric or with the month's name."""
    if match := _ISO.search(text):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC.search(text):
        first, second, year = int(match[1]), int(match[3]), _year(match[4])
        day, month = (first, second) if day_first else (second, first)
        return _date(year, month, day) or _date(year, day, month)
    return _named_date(normalise(text).split())


def _named_date(tokens: list[str]) -> dt.date | None:
    tokens = [_ORDINAL.sub(r"\1", token) for token in tokens if token not in _FILLERS]
    for index, token in enumerate(tokens):
        month = MONTH_NUMBERS.get(token)
        if month is None:
            continue
        before, after = tokens[index - 1] if index else "", tokens[index + 1 : index + 3]
        if before.isdigit() and after and after[0].isdigit() and len(after[0]) == 4:
            return _date(int(after[0]), month, int(before))  # 14 March 2026
        if len(after) == 2 and all(part.isdigit() for part in after) and len(after[1]) == 4:
            return _date(int(after[1]), month, int(after[0]))  # March 14, 2026
    return None


def day_first(texts: Iterable[str], month_first_custom: bool) -> bool:
    """Whether the document's numeric dates put the day first: a part over 12 settles it; else the
    custom (US documents are month-first)."""
    for text in texts:
        for match in _NUMERIC.finditer(text):
            first, second = int(match[1]), int(match[3])
            if first > 12 >= second:
                return True
            if second > 12 >= first:
                return False
    return not month_first_custom


def order_settled(texts: Iterable[str]) -> bool:
    """Whether the numeric dates say their own order (a part over 12), or there are none to doubt."""
    matches = [match for text in texts for match in _NUMERIC.finditer(text)]
    return not matches or any(int(m[1]) > 12 or int(m[3]) > 12 for m in matches)


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except (ValueError, OverflowError):  # 31 February, or a "day" of twenty digits
        return None
