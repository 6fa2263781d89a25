"""The arithmetic checks: what does not add up is said with its numbers."""

from decimal import Decimal

from oms.channels.documents.model import ExtractedDocument, ExtractedLine
from oms.channels.documents.reconcile import arithmetic_warnings


def _line(quantity: str, price: str, total: str) -> ExtractedLine:
    return ExtractedLine(
        code="A", quantity=Decimal(quantity), unit_price=Decimal(price), line_total=Decimal(total)
    )


def _document(lines, **totals) -> ExtractedDocument:
    return ExtractedDocument(lines=lines, **{name: Decimal(value) for name, value in totals.items()})


def test_a_document_that_adds_up_has_no_warning():
    document = _document(
        [_line("3", "1.50", "4.50"), _line("2", "10", "20.00")],
        subtotal="24.50",
        discount="2.45",
        shipping="5",
        tax="5.41",
        total="32.46",
    )
    assert arithmetic_warnings(document) == []


def test_a_line_whose_quantity_times_price_is_not_its_total():
    warnings = arithmetic_warnings(_document([_line("3", "1.50", "5.00")]))
    assert warnings == ["line 1 (A): 3 x 1.50 = 4.50, but the line total printed is 5.00"]


def test_lines_that_do_not_make_the_subtotal():
    warnings = arithmetic_warnings(_document([_line("1", "10", "10")], subtotal="12", total="12"))
    assert warnings == ["the lines add up to 10, the subtotal says 12"]


def test_a_total_that_is_not_subtotal_less_discount_plus_shipping_and_tax():
    warnings = arithmetic_warnings(_document([_line("1", "10", "10")], subtotal="10", tax="2", total="13"))
    assert warnings == ["subtotal 10 - discount 0 + shipping 0 + tax 2 = 12, but the total printed is 13"]


def test_a_rounded_line_total_is_no_mistake():
    assert arithmetic_warnings(_document([_line("3", "0.333", "1.00")])) == []
