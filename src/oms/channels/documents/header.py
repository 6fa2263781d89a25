"""The header fields' values as typed data: the document number as printed, dates in the document's
day/month order, the customer number and the currency, each with the confidence of its reading."""

import datetime as dt
import re
from dataclasses import dataclass, field

from oms.channels.documents.currencies import currency_of
from oms.channels.documents.dates import day_first, find_date, order_settled
from oms.channels.documents.fields import Labelled

CLEAN, GUESSED = 0.95, 0.6
_HASH_NUMBER = re.compile(r"(?:^|\s)#\s?([A-Z0-9][\w/-]*\d[\w/-]*)")


@dataclass
class Header:
    document_number: str | None = None
    document_date: dt.date | None = None
    requested_delivery_date: dt.date | None = None
    customer_reference: str | None = None
    currency: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)


def read_header(labels: list[Labelled], month_first_custom: bool, texts: list[str] = ()) -> Header:
    """The labelled values; without a labelled date or number, the first date in `texts` (the page's
    head: "Zürich, 5. November 2026") or a number printed as "#PO10482", as guesses."""
    values = {}
    for label in labels:
        if label.value and label.kind not in values and _plausible(label):
            values[label.kind] = label.value
    dates = [values[kind] for kind in ("document_date", "delivery_date") if kind in values]
    day_leads = day_first(dates, month_first_custom)
    header = Header(
        document_number=_code(values.get("document_number")),
        document_date=find_date(values.get("document_date", ""), day_leads),
        requested_delivery_date=find_date(values.get("delivery_date", ""), day_leads),
        customer_reference=_code(values.get("customer_number")),
        currency=currency_of(values.get("currency", "").upper()),
    )
    header.confidence = _confidence(header, order_settled(dates))
    _guess_unlabelled(header, texts, day_leads)
    return header


def _plausible(label: Labelled) -> bool:
    """A document number has a digit ("Order Deadline" is no number); a date label's value holds a date
    ("Livraison :" may head the delivery address instead)."""
    if label.kind == "document_number":
        return any(character.isdigit() for character in label.value.split()[0])
    if label.kind in ("document_date", "delivery_date"):
        return find_date(label.value) is not None
    return True


def _guess_unlabelled(header: Header, texts: list[str], day_leads: bool) -> None:
    if header.document_date is None:
        header.document_date = next((date for text in texts if (date := find_date(text, day_leads))), None)
        header.confidence["document_date"] = GUESSED if header.document_date else 0.0
    if header.document_number is None:
        header.document_number = next((m[1] for text in texts if (m := _HASH_NUMBER.search(text))), None)
        header.confidence["document_number"] = GUESSED if header.document_number else 0.0


def _code(value: str | None) -> str | None:
    """A number or code as printed: its first word ("4500012345", "PO-2026-0042")."""
    return value.split()[0].strip(",;") if value and value.split() else None


def _confidence(header: Header, dates_settled: bool) -> dict[str, float]:
    date_confidence = CLEAN if dates_settled else GUESSED
    return {
        "document_number": CLEAN if header.document_number else 0.0,
        "document_date": date_confidence if header.document_date else 0.0,
        "requested_delivery_date": date_confidence if header.requested_delivery_date else 0.0,
        "customer_reference": CLEAN if header.customer_reference else 0.0,
        "currency": CLEAN if header.currency else 0.0,
    }
