"""The demo retailer's returns: a policy per channel, final-sale socks, and orders of its history that
can be returned, or not, as the policies say."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from oms.services.demo import seed_demo
from oms.services.errors import ValidationFailed
from oms.services.return_models import ReturnCreate
from oms.services.return_policies import list_policies
from oms.services.returns import create_return
from oms.services.uow import UnitOfWork
from tests.factories import OPS, forget_cached_reads

NOW = datetime.now(UTC)  # return windows run to the database's today


@pytest.fixture(scope="module")
def demo(_session_engine, tmp_path_factory):
    engine, truncate = _session_engine
    with engine.begin() as conn:
        conn.execute(text(truncate))
    forget_cached_reads()
    seed_demo(engine, tmp_path_factory.mktemp("data"), days=60, now=NOW)
    return engine


def delivered_line(engine, channel: str, days_ago: str, final_sale: bool = False):
    """(order id, line number) of a line of `channel` wholly delivered, with delivery `days_ago` (SQL)."""
    with engine.connect() as conn:
        return conn.execute(text(
            f"""
            SELECT l.order_id, l.line_no FROM order_lines l
            JOIN orders o ON o.id = l.order_id JOIN products p ON p.sku = l.sku
            JOIN shipment_lines sl ON sl.order_line_id = l.id JOIN shipments s ON s.id = sl.shipment_id
            WHERE o.channel_id = :channel AND l.delivered_quantity = l.quantity AND p.final_sale = :final_sale
              AND s.delivered_at {days_ago}
            ORDER BY l.id LIMIT 1
            """), {"channel": channel, "final_sale": final_sale}).one()  # fmt: skip


def one_back(order_id: int, line_no: int) -> ReturnCreate:
    return ReturnCreate(order_id=order_id, lines=[{"line_no": line_no, "quantity": 1, "reason_code": "too_small"}])


def test_every_demo_channel_has_its_policy_and_socks_are_final_sale(demo):
    policies = {p.channel: p for p in list_policies(UnitOfWork(demo), OPS)}
    assert {p.source for p in policies.values()} == {"channel"}
    assert (policies["web"].policy.window_days, policies["b2b"].policy.window_days) == (30, 14)
    assert not policies["marketplace"].policy.store_credit_allowed
    with demo.connect() as conn:
        flagged = conn.execute(text("SELECT DISTINCT split_part(sku, '-', 1) FROM products WHERE final_sale")).scalars()
        assert flagged.all() == ["SCK"]


def test_a_recently_delivered_web_order_can_be_returned_and_an_old_one_cannot(demo):
    recent = delivered_line(demo, "web", "> now() - interval '10 days'")
    created = create_return(UnitOfWork(demo), OPS, one_back(*recent))
    assert created.status == "authorised"
    old = delivered_line(demo, "web", "< now() - interval '45 days'")
    with pytest.raises(ValidationFailed) as refused:
        create_return(UnitOfWork(demo), OPS, one_back(*old))
    assert [e.code for e in refused.value.errors] == ["outside_window"]
