"""A document's extraction resolved into a draft: its lines matched to catalogue products
(oms.services.order_entry_matching), its buyer to a known customer (oms.services.order_entry_customers),
the gaps filled from the catalogue with a warning each, and an overall confidence.

The overall confidence is the mean of the confidences of the header fields read (a field not read counts
through the warnings and problems it causes: an absent delivery date is no doubt), the customer's match
when one was found, and each line's (the lesser of how sure its reading and its product are), times
WARNING_FACTOR per warning and PROBLEM_FACTOR per problem capture would refuse."""

from collections import Counter
from statistics import fmean

from sqlalchemy import Connection

from oms.channels.documents.model import ExtractedDocument, ExtractedLine, Party
from oms.services.order_entry_customers import customer_warnings, match_customer
from oms.services.order_entry_embeddings import refresh_embeddings
from oms.services.order_entry_matching import Match, match_lines
from oms.services.order_entry_models import DraftAddress, DraftContent, DraftLine

WARNING_FACTOR = 0.95
PROBLEM_FACTOR = 0.85


def resolve_document(conn: Connection, extracted: ExtractedDocument) -> DraftContent:
    """The draft of `extracted`; writes nothing but missing embeddings (a bounded batch)."""
    refresh_embeddings(conn)
    customer = match_customer(conn, extracted)
    matches = match_lines(conn, extracted.lines, customer.id)
    currency, currency_warnings = _currency(extracted, matches)
    lines, warnings = _lines(extracted.lines, matches, currency)
    ship_to, ship_to_warnings = _ship_to(extracted)
    warnings = _unique(extracted.warnings + customer_warnings(extracted, customer) + ship_to_warnings
                       + currency_warnings + warnings)  # fmt: skip
    field_confidence = extracted.field_confidence | {"customer_match": customer.match_score}
    return DraftContent(
        document_type=extracted.document_type, document_number=extracted.document_number,
        document_date=extracted.document_date, customer=customer, currency=currency, ship_to=ship_to,
        requested_delivery_date=extracted.requested_delivery_date, lines=lines, total=extracted.total,
        field_confidence=field_confidence, warnings=warnings,
        confidence=overall_confidence(field_confidence, lines, warnings, []),
    )  # fmt: skip


def overall_confidence(field_confidence: dict[str, float], lines: list[DraftLine], warnings: list[str],
                       problems: list[dict]) -> float:  # fmt: skip
    scores = [score for score in field_confidence.values() if score > 0]
    scores += [min(line.match_score, line.confidence) for line in lines]
    base = fmean(scores) if scores else 0.0
    return round(base * WARNING_FACTOR ** len(warnings) * PROBLEM_FACTOR ** len(problems), 4)


def _lines(lines: list[ExtractedLine], matches: list[Match], currency: str | None
           ) -> tuple[list[DraftLine], list[str]]:  # fmt: skip
    drafted, warnings = [], []
    for number, (line, match) in enumerate(zip(lines, matches, strict=True), start=1):
        price = line.unit_price
        if price is None and match.product is not None:
            price = match.product.unit_price
        drafted.append(DraftLine(
            sku=match.product.sku if match.product else None, description=line.description,
            quantity=line.quantity, unit_price=price, match_score=match.score, match_method=match.method,
            code=line.code, customer_part_number=line.customer_part_number, line_total=line.line_total,
            candidates=match.candidates, confidence=line.confidence,
        ))  # fmt: skip
        warnings += [f"line {number}: {text}" for text in _line_warnings(line, match, currency)]
    return drafted, warnings


def _line_warnings(line: ExtractedLine, match: Match, currency: str | None) -> list[str]:
    warnings = []
    if match.product is None:
        closest = f"; closest: {match.candidates[0].sku}" if match.candidates else ""
        warnings.append(f"no catalogue product matches '{line.code or line.description}'{closest}")
    if line.quantity is None:
        warnings.append("no quantity read")
    elif line.quantity != line.quantity.to_integral_value():
        warnings.append(f"quantity {line.quantity} is not a whole number")
    if line.unit_price is None and match.product is not None:
        product = match.product
        other = f", not {currency}," if currency and currency != product.currency else ""
        warnings.append(f"no unit price printed; the catalogue's {product.unit_price} {product.currency}{other} is used")
    elif line.unit_price is None:
        warnings.append("no unit price read")
    return warnings


def _currency(extracted: ExtractedDocument, matches: list[Match]) -> tuple[str | None, list[str]]:
    """The printed currency, else the one most matched products are priced in."""
    if extracted.currency:
        return extracted.currency, []
    counts = Counter(match.product.currency for match in matches if match.product)
    if not counts:
        return None, ["no currency printed, and no product matched to take it from"]
    currency = counts.most_common(1)[0][0]
    return currency, [f"no currency printed; {currency}, the matched products' currency, is assumed"]


def _ship_to(extracted: ExtractedDocument) -> tuple[DraftAddress, list[str]]:
    """The ship-to address, else the bill-to's, else the buyer's, saying so."""
    choices = ((extracted.ship_to, None), (extracted.bill_to, "the bill-to address"),
               (extracted.buyer, "the buyer's address"))  # fmt: skip
    for party, instead in choices:
        if _has_address(party):
            fields = party.model_dump(include=set(DraftAddress.model_fields))
            warnings = [f"no ship-to address printed; {instead} is used"] if instead else []
            return DraftAddress(**fields), warnings
    return DraftAddress(), ["no address printed to ship to"]


def _has_address(party: Party | None) -> bool:
    return party is not None and bool(party.line1 or party.postal_code or party.city)


def _unique(warnings: list[str]) -> list[str]:
    return list(dict.fromkeys(warnings))

