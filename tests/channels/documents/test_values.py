"""Numbers, dates and currencies as documents print them, read without a PDF."""

import datetime as dt
from decimal import Decimal

import pytest

from oms.channels.documents.currencies import currency_of, document_currency
from oms.channels.documents.dates import day_first, find_date
from oms.channels.documents.numbers import document_decimal_mark, parse_number


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("1,234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1 234,56", "1234.56"),
        ("1'234.56", "1234.56"),
        ("1234", "1234"),
        ("-12,50", "-12.50"),
        ("(12.50)", "-12.50"),
        ("€ 1.234,56", "1234.56"),
        ("1 234,56 €", "1234.56"),
        ("CHF 1'234.50", "1234.50"),
        ("$1,234.56", "1234.56"),
        ("12.50-", "-12.50"),
    ],
)
def test_amounts_read_in_every_convention(printed, value):
    assert parse_number(printed) == Decimal(value)


def test_a_lone_mark_before_three_digits_is_read_as_the_document_says():
    assert parse_number("1,234", decimal_mark=".") == Decimal(1234)
    assert parse_number("1,234", decimal_mark=",") == Decimal("1.234")
    assert parse_number("1.000", decimal_mark=",") == Decimal(1000)


def test_codes_and_percentages_are_no_numbers():
    assert parse_number("AB-12") is None
    assert parse_number("19 %") is None
    assert parse_number("14.03.2026") is None


def test_the_document_decides_its_decimal_mark_from_its_other_amounts_then_its_language():
    assert document_decimal_mark(["1.200", "12,50", "3"], "en") == ","
    assert document_decimal_mark(["1,200", "12.50"], "de") == "."
    assert document_decimal_mark(["1,200"], "de") == ","
    assert document_decimal_mark(["1,200"], "en") == "."


@pytest.mark.parametrize(
    "printed",
    [
        "2026-03-14",
        "14/03/2026",
        "14.03.2026",
        "14-03-2026",
        "14 March 2026",
        "14. März 2026",
        "14 mars 2026",
        "14 maart 2026",
        "14 de marzo de 2026",
        "14 marzo 2026",
        "March 14, 2026",
        "Date: 14.03.26",
    ],
)
def test_dates_in_six_languages(printed):
    assert find_date(printed, day_first=True) == dt.date(2026, 3, 14)


def test_numeric_dates_follow_the_documents_order():
    assert find_date("03/04/2026", day_first=True) == dt.date(2026, 4, 3)
    assert find_date("03/04/2026", day_first=False) == dt.date(2026, 3, 4)


def test_a_day_over_twelve_settles_the_order_and_us_documents_lean_month_first():
    assert day_first(["03/14/2026"], month_first_custom=False) is False
    assert day_first(["14/03/2026"], month_first_custom=True) is True
    assert day_first(["03/04/2026"], month_first_custom=True) is False
    assert day_first(["03/04/2026"], month_first_custom=False) is True


def test_an_impossible_date_is_none():
    assert find_date("31/02/2026") is None
    assert find_date("no date here") is None


def test_currencies_by_code_or_symbol():
    assert currency_of("Total 12,00 €") == "EUR"
    assert currency_of("£ 12.00") == "GBP"
    assert currency_of("Amount CHF") == "CHF"
    assert currency_of("12 zł") == "PLN"


def test_crowns_depend_on_the_country_and_the_most_named_currency_wins():
    assert currency_of("120 kr", country="DK") == "DKK"
    assert currency_of("120 kr", country="SE") == "SEK"
    assert document_currency(["USD 12.00", "€ 3", "€ 4"]) == "EUR"
