"""The totals block: subtotal, discount, shipping, tax and total, each a label and the amount at the end
of its line ("MwSt. 19 %   123,45", "Total TTC  1 234,56 €"). Carried-forward rows are no totals."""

from decimal import Decimal

from oms.channels.documents.labels import total_labels
from oms.channels.documents.layout import Line, phrase_text
from oms.channels.documents.numbers import parse_number

KINDS = ("subtotal", "discount", "shipping", "tax", "total")


def read_totals(lines: list[Line], decimal_mark: str) -> dict[str, Decimal]:
    """Each kind's amount, the first line that names it winning but for the total, which the last one
    gives (a subtotal misread as "Total ..." comes first); a discount as a positive amount."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        kind = _kind(line)
        if kind is None or (kind in totals and kind != "total") or len(line.phrases) < 2:
            continue
        amount = parse_number(phrase_text(line.phrases[-1]), decimal_mark)
        if amount is not None:
            totals[kind] = abs(amount) if kind == "discount" else amount
    return totals


def _kind(line: Line) -> str | None:
    for phrase in line.phrases[:-1]:
        match = total_labels().match(phrase)
        if match and match.kind in KINDS:
            return match.kind
    return None
