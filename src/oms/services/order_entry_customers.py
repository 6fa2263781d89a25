"""Who a document is from, among known customers: by an email address it prints (exact, score 1), else
by the similarity of the buyer's name to customers' names (at least CUSTOMER_THRESHOLD)."""

from sqlalchemy import Connection, text

from oms.channels.documents.model import ExtractedDocument, Party
from oms.domain.text_embedding import embed
from oms.services.order_entry_embeddings import vector_literal
from oms.services.order_entry_models import DraftCustomer

CUSTOMER_THRESHOLD = 0.8

_BY_EMAIL = text("SELECT id, name, email FROM customers WHERE email = ANY(:emails) ORDER BY id LIMIT 1")
_NEAREST = text(
    """
    SELECT id, name, email, greatest(0, least(1, 1 - (embedding <=> CAST(:vector AS vector)))) AS score
    FROM customers WHERE embedding IS NOT NULL
    ORDER BY embedding <=> CAST(:vector AS vector) LIMIT 1
    """
)


def printed_parties(extracted: ExtractedDocument) -> list[Party]:
    """The parties that may be the customer, most telling first."""
    return [p for p in (extracted.buyer, extracted.bill_to, extracted.ship_to) if p is not None]


def match_customer(conn: Connection, extracted: ExtractedDocument) -> DraftCustomer:
    """The known customer the document is from, or the printed buyer (id None) when none is close."""
    parties = printed_parties(extracted)
    name = next((p.name for p in parties if p.name), None)
    email = next((p.email.strip().lower() for p in parties if p.email), None)
    emails = [p.email.strip().lower() for p in parties if p.email]
    if emails and (row := conn.execute(_BY_EMAIL, {"emails": emails}).first()):
        return DraftCustomer(id=row.id, name=row.name, email=row.email, match_score=1.0)
    vector = vector_literal(embed(name)) if name else None
    row = conn.execute(_NEAREST, {"vector": vector}).first() if vector else None
    if row is not None and row.score >= CUSTOMER_THRESHOLD:
        return DraftCustomer(id=row.id, name=row.name, email=row.email, match_score=round(row.score, 4))
    return DraftCustomer(name=name, email=email)
