"""Outbound webhooks over HTTP: the sender the delivery job (oms.services.webhook_delivery) uses."""
