"""A document's descriptions matched to catalogue products. Each is scored against the RETRIEVED nearest
products by vector (pgvector, cosine, on name and description): the mean of that similarity and the share
of the line's words found in the product's name, times NUMBER_FACTOR per number the line prints that the
name lacks (a pack of 25 is no pack of 50, which the hashed vector alone barely tells apart:
evals/order_entry/resolution.py measured 0.48 right on shortened descriptions by vector alone, 0.87 right
and 0.03 wrong so). The best is chosen when it scores SIMILARITY_THRESHOLD or more and MARGIN more than
the next; otherwise staff choose among CANDIDATES."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.domain.text_embedding import embed, normalise
from oms.services.order_entry_embeddings import vector_literal
from oms.services.order_entry_models import Candidate, MatchMethod

SIMILARITY_THRESHOLD = 0.6
MARGIN = 0.02
NUMBER_FACTOR = 0.8
RETRIEVED = 10
CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    unit_price: Decimal
    currency: str

    @classmethod
    def of(cls, row) -> "Product":
        return cls(row.sku, row.name, row.unit_price, row.currency)


@dataclass(slots=True)
class Match:
    product: Product | None = None
    score: float = 0.0
    method: MatchMethod | None = None
    candidates: list[Candidate] = field(default_factory=list)


# The nearest active products of each query vector, one round trip for the whole document.
_NEAREST = text(
    f"""
    SELECT q.ord - 1 AS index, p.sku, p.name, p.unit_price, p.currency, p.score
    FROM jsonb_array_elements_text(CAST(:vectors AS jsonb)) WITH ORDINALITY AS q(vector, ord)
    CROSS JOIN LATERAL (
      SELECT sku, name, unit_price, currency,
             greatest(0, least(1, 1 - (embedding <=> CAST(q.vector AS vector)))) AS score
      FROM products WHERE active AND embedding IS NOT NULL
      ORDER BY embedding <=> CAST(q.vector AS vector) LIMIT {RETRIEVED}) AS p
    """
)


def by_similarity(conn: Connection, texts: list[str]) -> list[Match]:
    """For each text, the closest products as candidates, the best one chosen when clearly close enough."""
    vectors = [vector_literal(embed(t)) for t in texts]
    wanted = [i for i, v in enumerate(vectors) if v is not None]
    scored: list[list[tuple[float, Product]]] = [[] for _ in texts]
    if wanted:
        for row in conn.execute(_NEAREST, {"vectors": dumps_json([vectors[i] for i in wanted])}):
            i = wanted[row.index]
            scored[i].append((description_score(texts[i], row.name, row.score), Product.of(row)))
    return [_best(sorted(found, key=lambda pair: -pair[0])) for found in scored]


def description_score(description: str, name: str, vector_score: float) -> float:
    """How well a printed description fits a product's name, given their vectors' similarity."""
    words, named = _words(description), _words(name)
    if not words:
        return 0.0
    missing_numbers = sum(1 for word in words - named if word.isdigit())
    found = len(words & named) / len(words)
    return round((vector_score + found) / 2 * NUMBER_FACTOR**missing_numbers, 4)


@lru_cache(maxsize=4096)  # each line is scored against RETRIEVED names, and names recur across lines
def _words(text_: str) -> frozenset[str]:
    return frozenset(normalise(text_).split())


def _best(ranked: list[tuple[float, Product]]) -> Match:
    candidates = [Candidate(sku=p.sku, name=p.name, score=score) for score, p in ranked[:CANDIDATES]]
    best, second = ([score for score, _ in ranked] + [0.0, 0.0])[:2]
    if best >= SIMILARITY_THRESHOLD and best - second >= MARGIN:
        return Match(ranked[0][1], best, "similarity", candidates)
    return Match(candidates=candidates)
