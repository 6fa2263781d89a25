"""The demo retailer is ready for order entry: every product and customer has its vector, and its sample
purchase orders become drafts that capture would take as they are."""

from datetime import UTC, datetime

from sqlalchemy import text

from oms.services.demo import seed_demo
from oms.services.order_entry import extract_draft
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN


def test_the_demo_seed_ends_with_every_product_and_customer_embedded(engine, tmp_path):
    seed_demo(engine, tmp_path, days=3, now=datetime(2026, 3, 10, 9, tzinfo=UTC))
    with engine.connect() as conn:
        missing = conn.execute(text("SELECT (SELECT count(*) FROM products WHERE embedding IS NULL),"
                                    " (SELECT count(*) FROM customers WHERE embedding IS NULL),"
                                    " (SELECT count(*) FROM customers)")).one()  # fmt: skip
    assert missing[:2] == (0, 0) and missing[2] > 0


def test_the_demo_seed_leaves_the_vector_indexes_it_rebuilt_for_the_load(engine, tmp_path):
    seed_demo(engine, tmp_path, days=3, now=datetime(2026, 3, 10, 9, tzinfo=UTC))
    with engine.connect() as conn:
        indexes = conn.execute(text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%hnsw%' ORDER BY 1"))
        assert indexes.scalars().all() == ["ix_customers_embedding", "ix_products_embedding"]


def test_the_demo_writes_sample_purchase_orders_whose_every_line_resolves(engine, tmp_path):
    report = seed_demo(engine, tmp_path, days=3, now=datetime(2026, 3, 10, 9, tzinfo=UTC))
    assert [path.name for path in report.documents] == ["purchase-order-en.pdf", "bestellung-de.pdf"]
    drafts = [extract_draft(UnitOfWork(engine), ADMIN, path.read_bytes(), "b2b") for path in report.documents]
    for draft in drafts:
        assert draft.problems == [] and draft.customer.id is not None
        assert len(draft.lines) == 3 and all(line.sku for line in draft.lines)
    assert [line.match_method for line in drafts[1].lines] == ["barcode", "barcode", "similarity"]
