"""A PDF purchase order or invoice read into an ExtractedDocument, offline and deterministically: the
header fields by their labels, the parties by their blocks, the table by its columns, the totals block,
then the figures checked against each other. Text in the document is only ever data."""

import datetime as dt

from oms.channels.documents.addresses import EMAIL
from oms.channels.documents.columns import header_columns
from oms.channels.documents.confidence import assess
from oms.channels.documents.countries import country_of_currency
from oms.channels.documents.currencies import document_currency
from oms.channels.documents.dates import find_date
from oms.channels.documents.doctype import Title, document_language, document_type
from oms.channels.documents.fields import Labelled, find_labelled
from oms.channels.documents.header import Header, read_header
from oms.channels.documents.layout import Line, Page
from oms.channels.documents.model import ExtractedDocument, Party
from oms.channels.documents.numbers import document_decimal_mark, is_number
from oms.channels.documents.parties import labelled_party, letterhead_party, ship_to_party
from oms.channels.documents.reading import read_pages
from oms.channels.documents.table import Table, read_table
from oms.channels.documents.totals import read_totals

_LATE_FIELDS = ("delivery_date", "currency", "customer_number")


def extract_document(content: bytes, max_pages: int = 500) -> ExtractedDocument:
    """The document's fields, parties, lines and totals; DocumentFailure when the PDF cannot be read."""
    pages = [page for page in read_pages(content, max_pages) if page.lines]
    first = pages[0]
    labels = find_labelled(_above_table(first))
    title = document_type(first.lines, labels)
    language = document_language([title.languages, *(label.languages for label in labels)])
    mark = document_decimal_mark((w.text for w in _words(pages) if is_number(w.text)), language)
    table = read_table(pages, mark, purchase_order=title.kind != "invoice")
    document = ExtractedDocument(document_type=title.kind, language=language, pages=len(pages),
                                 ocr=any(page.ocr for page in pages), lines=table.lines)  # fmt: skip
    _read_parties(document, first, labels)
    after = _after_table(pages, table)
    header = _read_header(document, labels + _late_labels(after), title, pages, table)
    for kind, amount in (table.charges | read_totals(after, mark)).items():
        setattr(document, kind, amount)
    _domestic_countries(document)
    assess(document, header.confidence, currency_labelled=header.currency is not None)
    return document


def _read_header(
    document: ExtractedDocument, labels: list[Labelled], title: Title, pages: list[Page], table: Table
) -> Header:
    """The labelled fields; numeric dates month-first in a US document (a US address, else dollars)."""
    country = _country(document)
    currency = document_currency((line.text for page in pages for line in page.lines), country)
    month_first = country == "US" or (country is None and currency == "USD")
    header = read_header(labels, month_first, [line.text for line in _above_table(pages[0])])
    document.document_number = header.document_number or title.number
    document.document_date = header.document_date
    document.requested_delivery_date = header.requested_delivery_date or _line_date(table, month_first)
    document.customer_reference = header.customer_reference
    document.currency = header.currency or currency
    return header


def document_text(content: bytes, max_chars: int = 40_000) -> str:
    """The document's words as lines, page by page, for a language model (data to read, never to obey);
    cut at `max_chars`. Fails as extract_document does."""
    parts, length = [], 0
    for page in read_pages(content):
        for text in [f"--- page {page.number} ---", *(line.text for line in page.lines)]:
            parts.append(text)
            length += len(text) + 1
        if length >= max_chars:
            break  # the pages after it would be cut anyway
    return "\n".join(parts)[:max_chars]


def _above_table(page: Page) -> list[Line]:
    """The first page's lines above its table header (all of them when it has none)."""
    for index, line in enumerate(page.lines):
        if header_columns(line):
            return page.lines[:index]
    return page.lines


def _late_labels(lines: list[Line]) -> list[Labelled]:
    """Fields some documents print under their table ("Requested delivery: ...", "Currency: EUR")."""
    return [label for label in find_labelled(lines) if label.kind in _LATE_FIELDS]


def _read_parties(document: ExtractedDocument, first: Page, labels) -> None:
    language = document.language
    document.bill_to = labelled_party(first, labels, "bill_to", language)
    document.ship_to = ship_to_party(first, labels, language)
    named_buyer = labelled_party(first, labels, "buyer", language)
    buyer = document.bill_to or named_buyer
    if buyer is None and document.document_type != "invoice":
        buyer = letterhead_party(first, language)
    document.buyer = buyer or Party()
    if document.buyer.email is None and document.document_type != "invoice":
        supplier = labelled_party(first, labels, "supplier", language)
        document.buyer.email = _sender_email(_above_table(first), supplier.email if supplier else None)


def _sender_email(lines: list[Line], supplier_email: str | None) -> str | None:
    """The first e-mail address printed above a purchase order's table that is not its supplier's: the
    buyer's, printed apart from its address block ("Contact: ...", a letterhead's last line). An invoice's
    header addresses are the seller's, so it is not asked."""
    found = (match[0] for line in lines for match in EMAIL.finditer(line.text))
    return next((email for email in found if email != supplier_email), None)


def _line_date(table: Table, month_first: bool) -> dt.date | None:
    """Without a delivery date in the header, the earliest a table's date column ("Need by") asks for."""
    dates = [date for text in table.line_dates if (date := find_date(text, not month_first))]
    return min(dates, default=None)


def _domestic_countries(document: ExtractedDocument) -> None:
    """An address with a postal code but no country, in a document priced in francs (pounds, dollars...),
    is in that currency's country."""
    for party in (document.ship_to, document.bill_to, document.buyer):
        if party is not None and party.country is None and party.postal_code:
            party.country = country_of_currency(document.currency)


def _country(document: ExtractedDocument) -> str | None:
    for party in (document.ship_to, document.bill_to, document.buyer):
        if party is not None and party.country:
            return party.country
    return None


def _words(pages: list[Page]):
    return (word for page in pages for line in page.lines for word in line.words)


def _after_table(pages: list[Page], table: Table) -> list[Line]:
    """The totals block's lines: from the row that closed the table (or the last line left below it)."""
    if not table.lines:
        return pages[-1].lines
    if (end := table.end or table.gap) is None:
        return []
    page_number, index = end
    after = []
    for page in pages:
        if page.number >= page_number:
            after += page.lines[index:] if page.number == page_number else page.lines
    return after
