"""The demo retailer is ready for order entry: every product and customer has its vector."""

from datetime import UTC, datetime

from sqlalchemy import text

from oms.services.demo import seed_demo


def test_the_demo_seed_ends_with_every_product_and_customer_embedded(engine, tmp_path):
    seed_demo(engine, tmp_path, days=3, now=datetime(2026, 3, 10, 9, tzinfo=UTC))
    with engine.connect() as conn:
        missing = conn.execute(text("SELECT (SELECT count(*) FROM products WHERE embedding IS NULL),"
                                    " (SELECT count(*) FROM customers WHERE embedding IS NULL),"
                                    " (SELECT count(*) FROM customers)")).one()  # fmt: skip
    assert missing[:2] == (0, 0) and missing[2] > 0
