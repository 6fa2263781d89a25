"""Scores one extraction against its ground truth: which header fields are right (after normalising case
and spaces), and which lines: a line is right when its code (the SKU, or the barcode the document
printed for it), quantity and unit price all are; each truth line counts once."""

import re
from dataclasses import dataclass, field

from oms.channels.documents.model import ExtractedDocument, ExtractedLine

FIELDS = (
    "document_type",
    "document_number",
    "document_date",
    "currency",
    "customer",
    "ship_to.name",
    "ship_to.line1",
    "ship_to.postal_code",
    "ship_to.city",
    "ship_to.country",
    "requested_delivery_date",
    "total",
)


@dataclass
class DocumentScore:
    fields: dict[str, bool] = field(default_factory=dict)
    matched: int = 0
    extracted: int = 0
    expected: int = 0
    mistakes: list[str] = field(default_factory=list)

    @property
    def field_accuracy(self) -> float:
        return sum(self.fields.values()) / len(self.fields) if self.fields else 0.0

    @property
    def line_f1(self) -> float:
        return f1(self.matched, self.extracted, self.expected)


def f1(matched: int, extracted: int, expected: int) -> float:
    precision = matched / extracted if extracted else float(not expected)
    recall = matched / expected if expected else float(not extracted)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def normalised(value) -> str | None:
    return None if value is None else re.sub(r"\s+", " ", str(value)).strip().casefold() or None


def _equal(expected, got) -> bool:
    """Text ignoring case and runs of spaces; dates and amounts by value (12.50 is 12.5)."""
    if isinstance(expected, str) or isinstance(got, str):
        return normalised(expected) == normalised(got)
    return expected == got


def header(document: ExtractedDocument) -> dict[str, object]:
    ship_to = document.ship_to.model_dump() if document.ship_to else {}
    values = {name: getattr(document, name, None) for name in FIELDS}
    values["customer"] = document.buyer.name
    values |= {
        f"ship_to.{key}": ship_to.get(key) for key in ("name", "line1", "postal_code", "city", "country")
    }
    return values


def score(truth: ExtractedDocument, skus: list[str], found: ExtractedDocument) -> DocumentScore:
    result = DocumentScore(extracted=len(found.lines), expected=len(truth.lines))
    expected, got = header(truth), header(found)
    for name in FIELDS:
        result.fields[name] = _equal(expected[name], got[name])
        if not result.fields[name]:
            result.mistakes.append(f"{name}: expected {expected[name]!r}, got {got[name]!r}")
    result.matched = _match_lines(truth.lines, skus, found.lines, result.mistakes)
    return result


def _match_lines(truth: list[ExtractedLine], skus: list[str], found: list[ExtractedLine], mistakes) -> int:
    unmatched = {
        i: ({normalised(line.code), normalised(sku)} - {None}, line)
        for i, (line, sku) in enumerate(zip(truth, skus, strict=True))
    }
    for line in found:
        hit = next((i for i, (codes, t) in unmatched.items() if _same(line, codes, t)), None)
        if hit is None:
            mistakes.append(f"line not in truth: {line.code} x{line.quantity} @ {line.unit_price}")
        else:
            del unmatched[hit]
    mistakes += [f"line missed: {t.code} x{t.quantity} @ {t.unit_price}" for _, t in unmatched.values()]
    return len(truth) - len(unmatched)


def _same(line: ExtractedLine, codes: set[str], truth: ExtractedLine) -> bool:
    code = normalised(line.code)
    code = code.replace(" ", "") if code else code
    return code in codes and line.quantity == truth.quantity and line.unit_price == truth.unit_price
