"""Shopify: order webhooks in (orders/create, orders/updated, orders/cancelled, refunds/create), stock out.

Pure translation, unit-tested without a database: `signature` (webhook HMAC), `resources` (Shopify's
order and refund JSON), `mapping` (an order to the capture command), `changes` (what an update, a
cancellation or a refund changes), `inventory` (levels to push). `admin_api` is the HTTP client of the
Admin API (network, no database). The use cases are oms.services.channel_shopify*.
"""
