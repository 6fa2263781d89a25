"""The promise reads stock through a per-process cache: no query while fresh, a new read once stale."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, insert

from oms.db.tables import channel_protections
from oms.services import promise_stock
from oms.services.errors import ValidationFailed
from oms.services.promise import PromiseRequest, promise
from oms.services.uow import UnitOfWork
from oms.settings import get_settings
from tests.factories import OPS, add_network, set_stock

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def network(engine):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 3)
    return engine


@pytest.fixture
def statements(network):
    """The SQL statements run on the engine from now on."""
    seen: list[str] = []
    listener = lambda conn, cursor, sql, *args: seen.append(sql)  # noqa: E731
    event.listen(network, "before_cursor_execute", listener)
    yield seen
    event.remove(network, "before_cursor_execute", listener)


@pytest.fixture
def clock(monkeypatch):
    """A monotonic clock the test moves by hand."""
    now = [1000.0]
    monkeypatch.setattr(promise_stock.clock, "monotonic", lambda: now[0])
    return now


def standard_sources(engine, sku="TSH-BLU-L", quantity=1, channel=None) -> list[str]:
    body = {"lines": [{"sku": sku, "quantity": quantity}], "destination": {"postal_code": "75011", "country": "FR"},
            "service_level": "standard", "at": AT, "channel": channel}  # fmt: skip
    [option] = promise(UnitOfWork(engine), OPS, PromiseRequest.model_validate(body)).options
    return [s.node_id for s in option.ship_from]


def test_fresh_stock_is_promised_without_a_query(network, statements, clock):
    assert standard_sources(network) == ["WH-LYON"]
    reads = len(statements)
    assert reads >= 1
    set_stock(network, "WH-LYON", "TSH-BLU-L", 0)
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    statements.clear()
    clock[0] += get_settings().promise_stock_ttl_seconds / 2
    assert standard_sources(network) == ["WH-LYON"]  # what was read half a TTL ago
    assert statements == []


def test_stock_older_than_the_ttl_is_read_again(network, clock):
    assert standard_sources(network) == ["WH-LYON"]
    set_stock(network, "WH-LYON", "TSH-BLU-L", 0)
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    clock[0] += get_settings().promise_stock_ttl_seconds
    assert standard_sources(network) == ["WH-KOELN"]


def test_only_the_missing_skus_are_read(network, statements, clock):
    set_stock(network, "WH-KOELN", "JKT-RED-M", 2)
    standard_sources(network)
    statements.clear()
    assert standard_sources(network, sku="JKT-RED-M") == ["WH-KOELN"]
    [query] = statements
    assert "FROM inventory" in query


def test_a_ttl_of_zero_reads_every_time(network, statements, clock, monkeypatch):
    monkeypatch.setattr(get_settings(), "promise_stock_ttl_seconds", 0.0)
    standard_sources(network)
    standard_sources(network)
    assert sum("FROM inventory" in sql for sql in statements) == 2


def test_cached_facts_still_refuse_unknown_skus_and_channels(network, clock):
    standard_sources(network, channel="web")
    with pytest.raises(ValidationFailed) as refused:
        standard_sources(network, sku="NO-SUCH-SKU", channel="nowhere")
    assert {e.path for e in refused.value.errors} == {("lines", 0, "sku"), ("channel",)}
    with pytest.raises(ValidationFailed):  # a second time, from the cache
        standard_sources(network, sku="NO-SUCH-SKU")


def test_a_channel_protection_is_applied_to_cached_stock(network, clock):
    with network.begin() as conn:
        conn.execute(insert(channel_protections), {"channel_id": "marketplace", "sku": "TSH-BLU-L", "quantity": 3})
    assert standard_sources(network) == ["WH-LYON"]  # no channel: every unit
    assert standard_sources(network, channel="marketplace") == []  # all 3 units held back from it
