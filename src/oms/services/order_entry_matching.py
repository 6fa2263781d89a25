"""Which catalogue product a document's line is: its printed code as our SKU, as a barcode, as the
customer's own part number, else the nearest descriptions. Exact codes score 1.

A description is scored against the RETRIEVED nearest products by vector (pgvector, cosine, on name and
description): the mean of that similarity and the share of the line's words found in the product's name,
times NUMBER_FACTOR per number the line prints that the name lacks (a pack of 25 is no pack of 50; the
hashed vector alone barely tells them apart: evals/order_entry/resolution.py measured 0.48 right on
shortened descriptions by vector alone, 0.87 right and 0.03 wrong so). The best is chosen when it scores
SIMILARITY_THRESHOLD or more and MARGIN more than the next; otherwise staff choose among CANDIDATES."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Connection, text

from oms.channels.documents.model import ExtractedLine
from oms.db.engine import dumps_json
from oms.domain.gtin import is_valid_gtin
from oms.domain.text_embedding import embed, normalise
from oms.services.order_entry_embeddings import vector_literal
from oms.services.order_entry_models import Candidate, MatchMethod

SIMILARITY_THRESHOLD = 0.6
MARGIN = 0.02
NUMBER_FACTOR = 0.8
RETRIEVED = 10
CANDIDATES = 3
_BARCODE_SEPARATORS = re.compile(r"[\s-]")


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    unit_price: Decimal
    currency: str


@dataclass(slots=True)
class Match:
    product: Product | None = None
    score: float = 0.0
    method: MatchMethod | None = None
    candidates: list[Candidate] = field(default_factory=list)


_BY_CODE = text(
    """
    SELECT sku, name, unit_price, currency, upper(sku) AS sku_key, ltrim(barcode, '0') AS barcode_key
    FROM products
    WHERE active AND (upper(sku) = ANY(:codes) OR ltrim(barcode, '0') = ANY(:barcodes))
    """
)
_BY_PART_NUMBER = text(
    """
    SELECT upper(c.part_number) AS part_key, p.sku, p.name, p.unit_price, p.currency
    FROM customer_part_numbers c JOIN products p ON p.sku = c.sku AND p.active
    WHERE c.customer_id = :customer_id AND upper(c.part_number) = ANY(:codes)
    """
)
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


def barcode_key(code: str) -> str | None:
    """A printed code as a GTIN (spaces and dashes dropped, valid check digit), without leading zeros:
    an EAN-13 and the GTIN-14 that pads it are the same article."""
    digits = _BARCODE_SEPARATORS.sub("", code)
    return digits.lstrip("0") if is_valid_gtin(digits) else None


def by_code(conn: Connection, codes: list[str]) -> tuple[dict[str, Product], dict[str, Product]]:
    """Active products whose SKU (any case) or barcode is one of `codes`: (by upper SKU, by barcode key)."""
    barcodes = [key for key in map(barcode_key, codes) if key]
    rows = conn.execute(_BY_CODE, {"codes": [c.upper() for c in codes], "barcodes": barcodes}).all()
    skus = {row.sku_key: _product(row) for row in rows}
    return skus, {row.barcode_key: _product(row) for row in rows if row.barcode_key}


def by_part_number(conn: Connection, customer_id: int | None, codes: list[str]) -> dict[str, Product]:
    """The customer's own part numbers among `codes` (by upper part number) and our products they name."""
    if customer_id is None or not codes:
        return {}
    rows = conn.execute(_BY_PART_NUMBER, {"customer_id": customer_id, "codes": [c.upper() for c in codes]})
    return {row.part_key: _product(row) for row in rows}


def by_similarity(conn: Connection, texts: list[str]) -> list[Match]:
    """For each text, the closest products as candidates, the best one chosen when clearly close enough."""
    vectors = [vector_literal(embed(t)) for t in texts]
    wanted = [i for i, v in enumerate(vectors) if v is not None]
    scored: list[list[tuple[float, Product]]] = [[] for _ in texts]
    if wanted:
        for row in conn.execute(_NEAREST, {"vectors": dumps_json([vectors[i] for i in wanted])}):
            i = wanted[row.index]
            scored[i].append((description_score(texts[i], row.name, row.score), _product(row)))
    return [_best(sorted(found, key=lambda pair: -pair[0])) for found in scored]


def description_score(description: str, name: str, vector_score: float) -> float:
    words, named = set(normalise(description).split()), set(normalise(name).split())
    if not words:
        return 0.0
    missing_numbers = sum(1 for word in words - named if word.isdigit())
    found = len(words & named) / len(words)
    return round((vector_score + found) / 2 * NUMBER_FACTOR**missing_numbers, 4)


def _best(ranked: list[tuple[float, Product]]) -> Match:
    candidates = [Candidate(sku=p.sku, name=p.name, score=score) for score, p in ranked[:CANDIDATES]]
    best, second = ([score for score, _ in ranked] + [0.0, 0.0])[:2]
    if best >= SIMILARITY_THRESHOLD and best - second >= MARGIN:
        return Match(ranked[0][1], best, "similarity", candidates)
    return Match(candidates=candidates)


def _product(row) -> Product:
    return Product(row.sku, row.name, row.unit_price, row.currency)


def match_lines(conn: Connection, lines: list[ExtractedLine], customer_id: int | None) -> list[Match]:
    """Each line's product: by an exact code when one is printed, else by its description."""
    codes = [code for line in lines for code in _codes(line)]
    skus, barcodes = by_code(conn, codes)
    parts = by_part_number(conn, customer_id, codes)
    matches = [_exact(line, skus, barcodes, parts) for line in lines]
    unmatched = [i for i, match in enumerate(matches) if match is None]
    texts = [f"{lines[i].description} {lines[i].code or ''}" for i in unmatched]
    for i, match in zip(unmatched, by_similarity(conn, texts), strict=True):
        matches[i] = match
    return matches


def _codes(line: ExtractedLine) -> list[str]:
    return [code.strip() for code in (_printed_code(line), line.customer_part_number) if code and code.strip()]


def _printed_code(line: ExtractedLine) -> str | None:
    """The code column's value, else the description's first word: a table whose code column was not
    recognised prints the code there (only an exact match uses it)."""
    words = line.description.split(maxsplit=1)
    return line.code or (words[0] if words else None)


def _exact(line: ExtractedLine, skus: dict, barcodes: dict, parts: dict) -> Match | None:
    """The printed code as our SKU, then as a barcode, then either code as the customer's part number."""
    printed = (_printed_code(line) or "").strip().upper()
    if printed in skus:
        return Match(skus[printed], 1.0, "sku")
    if printed and (key := barcode_key(printed)) in barcodes:
        return Match(barcodes[key], 1.0, "barcode")
    part = next((parts[code.upper()] for code in _codes(line) if code.upper() in parts), None)
    return Match(part, 1.0, "customer_part") if part else None
