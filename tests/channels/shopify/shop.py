"""A Shopify shop in front of the test network: its integration on channel `web`, sample webhook bodies
(fixtures/, shaped as Shopify's REST Admin API sends them) and signed deliveries of them."""

import copy
import json
import uuid
from functools import cache
from pathlib import Path

from sqlalchemy import Engine, text

from oms.channels.shopify.signature import sign
from oms.services.channel_integrations import ChannelIntegrationIn, set_integration
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, set_stock

FIXTURES = Path(__file__).parent / "fixtures"
SHOP = "demo-shop.myshopify.com"
SECRET = "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"
CHANNEL = "web"
WEBHOOKS = f"/api/v1/channels/{CHANNEL}/shopify/webhooks"


@cache
def _fixture(name: str) -> str:
    return (FIXTURES / f"{name}.json").read_text()


def sample(name: str) -> dict:
    """A fresh copy of a fixture (orders_create, orders_updated, orders_cancelled, orders_create_pickup,
    refunds_create), for a test to change."""
    return copy.deepcopy(json.loads(_fixture(name)))


def connect_shop(engine: Engine, channel: str = CHANNEL, **settings) -> None:
    integration = ChannelIntegrationIn(adapter="shopify", settings={"shop_domain": SHOP, **settings}, secret=SECRET,
                                       api_token="shpat_test_token")  # fmt: skip
    set_integration(UnitOfWork(engine), ADMIN, channel, integration)


def stock_everything(engine: Engine, units: int = 10) -> None:
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, units)


def delivery(topic: str, document: dict | bytes, webhook_id: str | None = None, secret: str = SECRET) -> tuple:
    """(body, headers) of a webhook as Shopify sends it."""
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    headers = {"Content-Type": "application/json", "X-Shopify-Topic": topic, "X-Shopify-Shop-Domain": SHOP,
               "X-Shopify-Hmac-Sha256": sign(secret, body), "X-Shopify-API-Version": "2024-10",
               "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
               "X-Shopify-Triggered-At": "2026-11-20T09:14:32.123456Z"}  # fmt: skip
    return body, headers


def post(client, topic: str, document: dict | bytes, webhook_id: str | None = None, **headers):
    body, signed = delivery(topic, document, webhook_id)
    return client.post(WEBHOOKS, content=body, headers=signed | headers)


def stored(engine: Engine) -> dict[str, int]:
    """Rows a webhook may write: orders, payloads, audit events, reserved units."""
    with engine.connect() as conn:
        return conn.execute(text(
            """SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM inbound_payloads) AS payloads,
                      (SELECT count(*) FROM audit_events) AS events,
                      (SELECT coalesce(sum(reserved), 0) FROM inventory) AS reserved"""
        )).one()._asdict()  # fmt: skip
