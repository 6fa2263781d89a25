"""The promise reads stock through a per-process cache: no query while fresh, a new read once stale."""

import pytest
from sqlalchemy import insert

from oms.db.tables import channel_protections
from oms.services.errors import ValidationFailed
from oms.services.promise import PromiseRequest, promise_from_cache
from oms.settings import get_settings
from tests.factories import OPS, set_stock


def test_fresh_stock_is_promised_without_a_query(sources, network, statements, clock):
    assert sources(network) == ["WH-LYON"]
    reads = len(statements)
    assert reads >= 1
    set_stock(network, "WH-LYON", "TSH-BLU-L", 0)
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    statements.clear()
    clock[0] += get_settings().promise_stock_ttl_seconds / 2
    assert sources(network) == ["WH-LYON"]  # what was read half a TTL ago
    assert statements == []


def test_stock_older_than_the_ttl_is_read_again(sources, network, clock):
    assert sources(network) == ["WH-LYON"]
    set_stock(network, "WH-LYON", "TSH-BLU-L", 0)
    set_stock(network, "WH-KOELN", "TSH-BLU-L", 5)
    clock[0] += get_settings().promise_stock_ttl_seconds
    assert sources(network) == ["WH-KOELN"]


def test_only_the_missing_skus_are_read(sources, network, statements, clock):
    set_stock(network, "WH-KOELN", "JKT-RED-M", 2)
    sources(network)
    statements.clear()
    assert sources(network, sku="JKT-RED-M") == ["WH-KOELN"]
    [query] = statements
    assert "FROM inventory" in query


def test_a_ttl_of_zero_reads_every_time(sources, network, statements, clock, monkeypatch):
    monkeypatch.setattr(get_settings(), "promise_stock_ttl_seconds", 0.0)
    sources(network)
    sources(network)
    assert sum("FROM inventory" in sql for sql in statements) == 2


def test_cached_facts_still_refuse_unknown_skus_and_channels(sources, network, clock):
    sources(network, channel="web")
    with pytest.raises(ValidationFailed) as refused:
        sources(network, sku="NO-SUCH-SKU", channel="nowhere")
    assert {e.path for e in refused.value.errors} == {("lines", 0, "sku"), ("channel",)}
    with pytest.raises(ValidationFailed):  # a second time, from the cache
        sources(network, sku="NO-SUCH-SKU")


def test_a_channel_protection_is_applied_to_cached_stock(sources, network, clock):
    with network.begin() as conn:
        conn.execute(insert(channel_protections), {"channel_id": "marketplace", "sku": "TSH-BLU-L", "quantity": 3})
    assert sources(network) == ["WH-LYON"]  # no channel: every unit
    assert sources(network, channel="marketplace") == []  # all 3 units held back from it


def test_the_cache_only_promise_never_reads_and_answers_once_all_is_cached(sources, network, statements, clock):
    body = PromiseRequest.model_validate({
        "lines": [{"sku": "TSH-BLU-L", "quantity": 1}], "destination": {"postal_code": "75011", "country": "FR"},
        "service_level": "standard", "at": "2026-03-10T09:00:00Z",
    })  # fmt: skip
    assert promise_from_cache(OPS, body) is None
    assert statements == []
    sources(network)  # a promise that reads what is missing
    statements.clear()
    [option] = promise_from_cache(OPS, body).options
    assert [s.node_id for s in option.ship_from] == ["WH-LYON"] and statements == []
    with pytest.raises(ValidationFailed):
        sources(network, sku="NOPE")  # read once, cached as unknown
    unknown = body.model_copy(update={"lines": [body.lines[0].model_copy(update={"sku": "NOPE"})]})
    with pytest.raises(ValidationFailed):  # refused from the cache alone
        promise_from_cache(OPS, unknown)
