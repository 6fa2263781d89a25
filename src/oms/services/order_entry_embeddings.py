"""The vectors documents are matched by: a product's name and description, a customer's name
(oms.domain.text_embedding). The catalogue writes a product's vector when it upserts it; rows written
without one (capture's new customers, the demo's bulk load, products inserted by SQL) are filled in
bounded batches before matching, so the hot write paths never compute one."""

from sqlalchemy import Connection, text

from oms.db.engine import dumps_json
from oms.domain.text_embedding import embed

REFRESH_BATCH = 500

_MISSING = {
    "products": text("SELECT sku AS key, name, description FROM products WHERE embedding IS NULL LIMIT :limit"),
    # A customer is matched by name alone.
    "customers": text("SELECT id AS key, name, '' AS description FROM customers WHERE embedding IS NULL "
                      "LIMIT :limit"),
}  # fmt: skip
# One statement per batch: the vectors travel as one JSON array of {key, vector}; a vector already
# stored is not written again.
_WRITE = {
    table: text(
        f"""
        UPDATE {table} t SET embedding = CAST(v.vector AS vector)
        FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS v(key text, vector text)
        WHERE t.{key} = {cast} AND t.embedding IS DISTINCT FROM CAST(v.vector AS vector)
        """
    )
    for table, key, cast in (("products", "sku", "v.key"), ("customers", "id", "CAST(v.key AS bigint)"))
}


def vector_literal(vector: list[float] | None) -> str | None:
    """pgvector's text form of `vector` ('[0.1,0.2,...]'), for CAST(:param AS vector)."""
    return None if vector is None else "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def product_text(name: str, description: str) -> str:
    """What a product's vector is of (a customer's: its name, with no description)."""
    return f"{name} {description}"


def write_product_embeddings(conn: Connection, items: list[tuple[str, str, str]]) -> None:
    """Store the vectors of products given as (sku, name, description)."""
    rows = [{"key": sku, "vector": vector_literal(embed(product_text(name, description)))}
            for sku, name, description in items]  # fmt: skip
    if rows:
        conn.execute(_WRITE["products"], {"rows": dumps_json(rows)})


def refresh_embeddings(conn: Connection, limit: int | None = REFRESH_BATCH) -> int:
    """Fill the missing vectors of up to `limit` products and as many customers (None: all of them, in
    batches); returns how many rows got one. A text with no letter or digit keeps NULL."""
    return sum(_refresh_table(conn, table, limit) for table in _MISSING)


def _refresh_table(conn: Connection, table: str, limit: int | None) -> int:
    filled = 0
    while limit is None or filled < limit:
        batch = REFRESH_BATCH if limit is None else min(limit - filled, REFRESH_BATCH)
        rows = conn.execute(_MISSING[table], {"limit": batch}).all()
        vectors = [{"key": row.key, "vector": vector_literal(embed(product_text(row.name, row.description)))}
                   for row in rows]  # fmt: skip
        done = sum(1 for v in vectors if v["vector"] is not None)
        if done:
            conn.execute(_WRITE[table], {"rows": dumps_json(vectors)})
        filled += done
        if len(rows) < batch or done == 0:  # all filled, or only texts without a vector are left
            break
    return filled
