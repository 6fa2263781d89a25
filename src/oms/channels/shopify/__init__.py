"""Shopify: order webhooks in (orders/create, orders/updated, orders/cancelled, refunds/create), stock out."""
