"""Whether a document's figures add up: each line's quantity times unit price against its printed total,
the lines against the subtotal, and subtotal - discount + shipping + tax against the total. Each warning
names the numbers that disagree; the deterministic extractor and the LLM pass both use them."""

from decimal import Decimal

from oms.channels.documents.model import ExtractedDocument, ExtractedLine

CENT = Decimal("0.01")


def arithmetic_warnings(document: ExtractedDocument) -> list[str]:
    warnings = [
        warning
        for index, line in enumerate(document.lines, start=1)
        if (warning := _line_warning(index, line))
    ]
    lines_sum = _lines_sum(document.lines)
    if (
        document.subtotal is not None
        and lines_sum is not None
        and not _close(lines_sum, document.subtotal, len(document.lines))
    ):
        warnings.append(f"the lines add up to {lines_sum}, the subtotal says {document.subtotal}")
    if (warning := _total_warning(document, lines_sum)) is not None:
        warnings.append(warning)
    return warnings


def _line_warning(index: int, line: ExtractedLine) -> str | None:
    if None in (line.quantity, line.unit_price, line.line_total):
        return None
    product = line.quantity * line.unit_price
    if _close(product, line.line_total, 1):
        return None
    return (
        f"line {index} ({line.code or line.description}): {line.quantity} x {line.unit_price} = "
        f"{product.quantize(CENT)}, but the line total printed is {line.line_total}"
    )


def _lines_sum(lines: list[ExtractedLine]) -> Decimal | None:
    totals = [line.line_total if line.line_total is not None else _product(line) for line in lines]
    return sum(totals, Decimal(0)) if lines and None not in totals else None


def _product(line: ExtractedLine) -> Decimal | None:
    if line.quantity is None or line.unit_price is None:
        return None
    return (line.quantity * line.unit_price).quantize(CENT)


def _total_warning(document: ExtractedDocument, lines_sum: Decimal | None) -> str | None:
    base = document.subtotal if document.subtotal is not None else lines_sum
    if document.total is None or base is None:
        return None
    expected = base - (document.discount or 0) + (document.shipping or 0) + (document.tax or 0)
    if _close(expected, document.total, 1):
        return None
    return (
        f"subtotal {base} - discount {document.discount or 0} + shipping {document.shipping or 0} + "
        f"tax {document.tax or 0} = {expected}, but the total printed is {document.total}"
    )


def _close(computed: Decimal, printed: Decimal, roundings: int) -> bool:
    """Equal within a cent per rounded amount (each line total may be rounded on its own)."""
    return abs(computed - printed) <= CENT * max(roundings, 1)
