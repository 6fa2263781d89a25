"""The layout reader's extraction and the model's reading, reconciled field by field. A confident
deterministic value stands; a value only the model read, or one the layout reader was unsure of, comes from
the model with a moderate confidence; both agreeing raises it. The lines are the set that adds up better.
Warnings name every field taken from the model and every disagreement, so staff know what to check."""

from decimal import Decimal

from agents.order_entry_reading import DocumentReading
from oms.channels.documents.confidence import assess
from oms.channels.documents.model import ExtractedDocument, ExtractedLine, Party
from oms.channels.documents.reconcile import arithmetic_warnings

CONFIDENT = 0.8  # a deterministic reading at least this sure stands against the model
MODEL_ONLY = 0.6  # read by the model alone: likely right, to be checked
AGREED = 0.95  # two independent readers found the same value
HEADER_FIELDS = ("document_type", "document_number", "document_date", "requested_delivery_date",
                 "customer_reference", "buyer", "bill_to", "ship_to", "currency", "subtotal", "discount",
                 "shipping", "tax", "total")  # fmt: skip
CONFIDENCE_KEYS = {"buyer": "customer"}  # field_confidence names the buyer as the draft does
AMOUNTS = ("subtotal", "discount", "shipping", "tax")


def reconcile(extracted: ExtractedDocument, reading: DocumentReading) -> ExtractedDocument:
    merged = extracted.model_copy(deep=True)
    notes = [note for name in HEADER_FIELDS for note in _merge_field(merged, name, getattr(reading, name))]
    notes += _merge_lines(merged, reading.extracted_lines())
    taken = [name for name, source in notes if source == "model"]
    stale = set(_checks(extracted))  # what was missing or did not add up before the model's reading
    merged.warnings = [warning for warning in extracted.warnings if warning not in stale] + _checks(merged)
    merged.warnings += [text for _, text in notes if text != "model"]
    if taken:
        merged.warnings.append(f"read by the language model, to check: {', '.join(taken)}")
    return merged


def _checks(doc: ExtractedDocument) -> list[str]:
    """The layout reader's own checks of a document: the fields it lacks and the sums that do not add up."""
    checked = doc.model_copy(deep=True)
    assess(checked, {}, currency_labelled=True)  # fills a copy's warnings; its confidences are not kept
    return checked.warnings


def _merge_field(doc: ExtractedDocument, name: str, theirs) -> list[tuple[str, str]]:
    """Notes as (field, "model") for a value taken from the model and (field, text) for a disagreement."""
    key = CONFIDENCE_KEYS.get(name, name)
    ours, confidence = getattr(doc, name), _confidence(doc, name)
    if _blank(name, theirs):
        return []
    if _blank(name, ours):
        return _take(doc, name, theirs)
    if _same(ours, theirs):
        doc.field_confidence[key] = max(confidence, AGREED)
        return _completed(doc, name, ours, theirs) if isinstance(ours, Party) else []
    disagreement = f"{name}: the layout read {_shown(ours)}, the language model {_shown(theirs)}"
    if confidence >= CONFIDENT:
        return [(name, f"{disagreement}; kept the layout's")]
    return [*_take(doc, name, theirs), (name, f"{disagreement}; took the model's (the layout's was unsure)")]


def _confidence(doc: ExtractedDocument, name: str) -> float:
    """The layout reader's confidence in a field, where it gives none presumed from how it reads the field."""
    key = CONFIDENCE_KEYS.get(name, name)
    if key in doc.field_confidence:
        return doc.field_confidence[key]
    if name == "document_type":  # named only from a title found in the document
        return CONFIDENT
    if name in AMOUNTS:  # checked with the total: as sure as the total is
        return doc.field_confidence.get("total", 0.0)
    return 0.0


def _take(doc: ExtractedDocument, name: str, value) -> list[tuple[str, str]]:
    setattr(doc, name, value)
    doc.field_confidence[CONFIDENCE_KEYS.get(name, name)] = MODEL_ONLY
    return [(name, "model")]


def _completed(doc: ExtractedDocument, name: str, ours: Party, theirs: Party) -> list[tuple[str, str]]:
    """The same party: what the layout reader left out of it (a street, a country) from the model."""
    missing = [key for key, value in ours.model_dump().items() if value is None and getattr(theirs, key)]
    if not missing:
        return []
    setattr(doc, name, ours.model_copy(update={key: getattr(theirs, key) for key in missing}))
    return [(f"{name} ({', '.join(missing)})", "model")]


def _merge_lines(doc: ExtractedDocument, theirs: list[ExtractedLine]) -> list[tuple[str, str]]:
    """The lines that add up better against the (merged) totals; the layout's on a tie."""
    if not theirs:
        return []
    if _same_lines(doc.lines, theirs):
        doc.lines = [line.model_copy(update={"confidence": max(line.confidence, AGREED)})
                     for line in doc.lines]  # fmt: skip
        doc.field_confidence["lines"] = max(doc.field_confidence.get("lines", 0.0), AGREED)
        return []
    if _line_problems(doc, theirs) >= _line_problems(doc, doc.lines):
        kept = f"the language model read {len(theirs)} lines, which add up no better; kept the layout's"
        return [("lines", f"lines: {kept} {len(doc.lines)}")]
    doc.lines = [line.model_copy(update={"confidence": MODEL_ONLY}) for line in theirs]
    doc.field_confidence["lines"] = MODEL_ONLY
    return [("lines", "model")]


def _line_problems(doc: ExtractedDocument, lines: list[ExtractedLine]) -> tuple[bool, int, int]:
    """Lower is better: no lines at all, then sums that do not add up, then lines missing a number."""
    sums = arithmetic_warnings(doc.model_copy(update={"lines": lines}))
    incomplete = sum(line.quantity is None or line.unit_price is None for line in lines)
    return not lines, len(sums), incomplete


def _same_lines(ours: list[ExtractedLine], theirs: list[ExtractedLine]) -> bool:
    return len(ours) == len(theirs) and all(
        _same(a.code, b.code) and a.quantity == b.quantity and a.unit_price == b.unit_price
        for a, b in zip(ours, theirs, strict=True))  # fmt: skip


def _blank(name: str, value) -> bool:
    """Nothing read: document_type "other" is the reader's default, an empty party no party."""
    if isinstance(value, Party):
        return not any(value.model_dump().values())
    return value is None or value == "" or (name == "document_type" and value == "other")


def _same(a, b) -> bool:
    if isinstance(a, Party) and isinstance(b, Party):  # the same name, and postal code where both read one
        postal_codes_agree = None in (a.postal_code, b.postal_code) or _same(a.postal_code, b.postal_code)
        return _same(a.name, b.name) and postal_codes_agree
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
    return a == b


def _shown(value) -> str:
    if isinstance(value, Party):
        return repr(", ".join(part for part in (value.name, value.postal_code, value.city) if part))
    return repr(str(value)) if not isinstance(value, Decimal) else str(value)
