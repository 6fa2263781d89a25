"""Two deliveries of one webhook at the same moment (Shopify retrying while the first is still being handled):
both pass the dedupe check before either has stored anything, and still the order is captured or changed
once, the payload stored once, and both answers say so."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from oms.services import channel_shopify
from oms.services.channel_shopify import Delivery, receive_webhook
from oms.services.uow import UnitOfWork
from tests.channels.shopify.shop import (
    CHANNEL,
    SHOP,
    connect_shop,
    delivery,
    sample,
    stock_everything,
    stored,
)
from tests.factories import add_network


@pytest.fixture
def racing(engine, monkeypatch):
    """Deliver a webhook from two threads that both find it not received yet, then go on together."""
    add_network(engine)
    connect_shop(engine)
    stock_everything(engine)
    real = channel_shopify.find_received
    barrier = threading.Barrier(2, timeout=20)
    first = threading.local()

    def find_received(*args):
        found = real(*args)
        if not getattr(first, "done", False):
            first.done = True
            barrier.wait()  # both have looked before either goes on
        return found

    def deliver_twice(topic: str, document: dict) -> list:
        body, headers = delivery(topic, document)
        request = Delivery(body, topic, headers["X-Shopify-Hmac-Sha256"], SHOP, headers["X-Shopify-Webhook-Id"])
        monkeypatch.setattr(channel_shopify, "find_received", find_received)
        try:
            with ThreadPoolExecutor(2) as pool:
                return list(pool.map(lambda _: receive_webhook(UnitOfWork(engine), CHANNEL, request), range(2)))
        finally:
            monkeypatch.setattr(channel_shopify, "find_received", real)

    return deliver_twice


def test_a_creation_delivered_twice_at_once_captures_one_order(engine, racing):
    answers = racing("orders/create", sample("orders_create"))

    assert sorted(answer.result for answer in answers) == ["captured", "duplicate"]
    assert len({(answer.order_id, answer.payload_id) for answer in answers}) == 1
    counts = stored(engine)
    assert (counts["orders"], counts["payloads"]) == (1, 1)
    assert counts["reserved"] == sum(item["quantity"] for item in sample("orders_create")["line_items"])


def test_a_refund_delivered_twice_at_once_cancels_its_units_once(engine, racing):
    racing("orders/create", sample("orders_create"))
    before = stored(engine)
    answers = racing("refunds/create", sample("refunds_create"))

    assert sorted(answer.result for answer in answers) == ["applied", "duplicate"]
    refunded = sample("refunds_create")["refund_line_items"][0]["quantity"]
    assert stored(engine)["reserved"] == before["reserved"] - refunded
    assert stored(engine)["payloads"] == before["payloads"] + 1
