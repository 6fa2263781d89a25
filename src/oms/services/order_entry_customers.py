"""Who a document is from, among known customers: by an email address it prints (exact, score 1), else
by the similarity of the buyer's name to customers' names: at least CUSTOMER_THRESHOLD, and MARGIN more
than the next customer's (two customers of much the same name are left to staff)."""

from sqlalchemy import Connection, text

from oms.channels.documents.model import ExtractedDocument, Party
from oms.domain.text_embedding import embed
from oms.services.order_entry_embeddings import vector_literal
from oms.services.order_entry_models import DraftCustomer

CUSTOMER_THRESHOLD = 0.8
MARGIN = 0.02

_BY_EMAIL = text("SELECT id, name, email FROM customers WHERE email = ANY(:emails) ORDER BY id LIMIT 1")
_NEAREST = text(
    """
    SELECT id, name, email, greatest(0, least(1, 1 - (embedding <=> CAST(:vector AS vector)))) AS score
    FROM customers WHERE embedding IS NOT NULL
    ORDER BY embedding <=> CAST(:vector AS vector) LIMIT 2
    """
)


def match_customer(conn: Connection, extracted: ExtractedDocument) -> DraftCustomer:
    """The known customer the document is from, or the printed buyer (id None) when none is close."""
    name = next((p.name for p in _printed_parties(extracted) if p.name), None)
    emails = printed_emails(extracted)
    known = _by_email(conn, emails) or _by_name(conn, name)
    return known or DraftCustomer(name=name, email=emails[0] if emails else None)


def customer_warnings(extracted: ExtractedDocument, customer: DraftCustomer) -> list[str]:
    """A customer recognised by name whose address on file is none the document prints."""
    emails = printed_emails(extracted)
    if customer.id is None or not emails or customer.email in emails:
        return []
    return [f"customer recognised by name: the document prints {emails[0]}, the customer's is {customer.email}"]


def printed_emails(extracted: ExtractedDocument) -> list[str]:
    return [p.email.strip().lower() for p in _printed_parties(extracted) if p.email]


def _printed_parties(extracted: ExtractedDocument) -> list[Party]:
    """The parties that may be the customer, most telling first."""
    return [p for p in (extracted.buyer, extracted.bill_to, extracted.ship_to) if p is not None]


def _by_email(conn: Connection, emails: list[str]) -> DraftCustomer | None:
    row = conn.execute(_BY_EMAIL, {"emails": emails}).first() if emails else None
    return DraftCustomer(id=row.id, name=row.name, email=row.email, match_score=1.0) if row else None


def _by_name(conn: Connection, name: str | None) -> DraftCustomer | None:
    vector = vector_literal(embed(name)) if name else None
    nearest = conn.execute(_NEAREST, {"vector": vector}).all() if vector else []
    scores = [row.score for row in nearest] + [0.0, 0.0]
    if scores[0] < CUSTOMER_THRESHOLD or scores[0] - scores[1] < MARGIN:
        return None
    best = nearest[0]
    return DraftCustomer(id=best.id, name=best.name, email=best.email, match_score=round(best.score, 4))
