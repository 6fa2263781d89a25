"""How a document prints numbers, dates and money: the conventions of its country, chosen per document."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from evals.order_entry.vocabulary import MONTHS

NUMBER_STYLES = {"us": (",", "."), "eu": (".", ","), "fr": (" ", ","), "ch": ("'", ".")}
SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True)
class Style:
    language: str
    numbers: str  # a key of NUMBER_STYLES
    dates: str  # iso, dmy_slash, mdy_slash, dmy_dot, long
    currency: str  # ISO 4217
    symbol: bool  # "€" rather than "EUR"


def number(value: Decimal, numbers: str, places: int = 2) -> str:
    thousands, decimal = NUMBER_STYLES[numbers]
    sign = "-" if value < 0 else ""
    whole, fraction = f"{abs(value):.{places}f}".split(".") if places else (f"{abs(value):.0f}", "")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    grouped = thousands.join([whole, *groups])
    return f"{sign}{grouped}{decimal}{fraction}" if places else f"{sign}{grouped}"


def quantity(value: Decimal, numbers: str) -> str:
    return (
        number(value, numbers, 0) if value == value.to_integral() else number(value, numbers, 3).rstrip("0")
    )


def money(value: Decimal, style: Style) -> str:
    """With the currency: "€ 1.234,56", "1 234,56 €", "$1,234.56", "CHF 1'234.50", "1.234,56 EUR"."""
    amount = number(value, style.numbers)
    if not style.symbol or style.currency not in SYMBOLS:
        return f"{style.currency} {amount}" if style.numbers in ("us", "ch") else f"{amount} {style.currency}"
    symbol = SYMBOLS[style.currency]
    return f"{symbol}{amount}" if style.numbers == "us" else f"{amount} {symbol}"


def date(value: dt.date, style: Style) -> str:
    if style.dates == "iso":
        return value.isoformat()
    if style.dates == "mdy_slash":
        return f"{value.month:02d}/{value.day:02d}/{value.year}"
    if style.dates == "dmy_slash":
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    if style.dates == "dmy_dot":
        return f"{value.day:02d}.{value.month:02d}.{value.year}"
    return long_date(value, style.language)


def long_date(value: dt.date, language: str) -> str:
    month = MONTHS[language].split()[value.month - 1]
    if language == "en":
        return f"{month} {value.day}, {value.year}"
    if language == "de":
        return f"{value.day}. {month} {value.year}"
    if language == "es":
        return f"{value.day} de {month} de {value.year}"
    return f"{value.day} {month} {value.year}"
