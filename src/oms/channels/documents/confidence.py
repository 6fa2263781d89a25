"""How sure the extraction is of each field, and what it could not find or could not make add up: a
value read beside its label and parsed cleanly is sure, a guess is not, a missing field is a warning."""

from oms.channels.documents.model import ExtractedDocument, Party
from oms.channels.documents.reconcile import arithmetic_warnings

SURE, LIKELY, GUESSED = 0.95, 0.8, 0.6
_MISSING = {
    "document_number": "no document number found (PO number, Bestellnummer, N° de commande...)",
    "document_date": "no document date found",
    "currency": "no currency found: neither a currency label nor a code or symbol by the amounts",
    "total": "no total found",
}


def assess(document: ExtractedDocument, header: dict[str, float], currency_labelled: bool) -> None:
    """Fills the document's field_confidence and warnings."""
    confidence = dict(header)
    if document.currency and not currency_labelled:
        confidence["currency"] = LIKELY
    confidence["ship_to"] = _party_confidence(document.ship_to)
    confidence["customer"] = _customer_confidence(document)
    arithmetic = arithmetic_warnings(document)
    confidence["total"] = 0.0 if document.total is None else (GUESSED if arithmetic else SURE)
    confidence["lines"] = round(min((line.confidence for line in document.lines), default=0.0), 2)
    document.field_confidence = confidence
    document.warnings = _missing(document) + arithmetic


def _party_confidence(party: Party | None) -> float:
    if party is None or not party.name:
        return 0.0
    return SURE if party.postal_code and party.city else GUESSED


def _customer_confidence(document: ExtractedDocument) -> float:
    if not document.buyer.name:
        return 0.0
    return SURE if document.bill_to is not None else GUESSED


def _missing(document: ExtractedDocument) -> list[str]:
    warnings = [message for name, message in _MISSING.items() if getattr(document, name) is None]
    if document.ship_to is None:
        warnings.append("no ship-to address found (Ship to, Lieferadresse, Adresse de livraison...)")
    if not document.buyer.name:
        warnings.append("the customer could not be told: no bill-to block and no letterhead name")
    if not document.lines:
        warnings.append("no product lines found: no table with quantity and price columns")
    if document.document_type == "other":
        warnings.append("the document's type is unclear: no purchase order or invoice title")
    return warnings
