"""Currencies as ISO codes or symbols. "kr" is Swedish, Danish or Norwegian crowns depending on the
document's country; "$" is US dollars unless a code says otherwise."""

import re
from collections import Counter
from collections.abc import Iterable

CODES = frozenset(
    {
        "EUR",
        "USD",
        "GBP",
        "CHF",
        "SEK",
        "DKK",
        "NOK",
        "PLN",
        "CZK",
        "HUF",
        "JPY",
        "CAD",
        "AUD",
        "NZD",
        "CNY",
        "RON",
        "BGN",
        "TRY",
        "ZAR",
        "MXN",
        "BRL",
        "INR",
    }
)
_SYMBOLS = {
    "€": "EUR",
    "$": "USD",
    "us$": "USD",
    "£": "GBP",
    "zł": "PLN",
    "zl": "PLN",
    "fr.": "CHF",
    "sfr": "CHF",
    "kč": "CZK",
    "¥": "JPY",
    "ft": "HUF",
}
_CROWNS = {"SE": "SEK", "DK": "DKK", "NO": "NOK"}
_TOKEN = re.compile(r"[A-Za-z]{3}\b|US\$|[€$£¥]|zł|kr\b|Kč|sfr\b", re.IGNORECASE)


def currency_of(text: str, country: str | None = None) -> str | None:
    """The first currency the text names, as an ISO 4217 code."""
    for token in _TOKEN.findall(text):
        code = _code(token, country)
        if code:
            return code
    return None


def document_currency(texts: Iterable[str], country: str | None = None) -> str | None:
    """The currency the document names most often (each code or symbol in its amounts and labels)."""
    counts = Counter()
    for text in texts:
        for token in _TOKEN.findall(text):
            code = _code(token, country)
            if code:
                counts[code] += 1
    return counts.most_common(1)[0][0] if counts else None


def _code(token: str, country: str | None) -> str | None:
    if token.upper() in CODES and (token.isupper() or len(token) != 3):
        return token.upper()
    if token.casefold() == "kr":
        return _CROWNS.get(country or "", "SEK")
    return _SYMBOLS.get(token.casefold())
