"""Shopify's webhook signature: `X-Shopify-Hmac-Sha256` is the base64 of the HMAC-SHA256 of the raw
request body, keyed with the app's secret. It is checked on the bytes received, before any parsing (a
parsed and re-serialised body would not sign the same), and compared in constant time."""

import base64
import hashlib
import hmac


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode("ascii")


def verify(secret: str, body: bytes, header: str | None) -> bool:
    """Whether `header` (X-Shopify-Hmac-Sha256 as received, possibly missing) signs `body`."""
    if not header:
        return False
    return hmac.compare_digest(sign(secret, body).encode("ascii"), header.strip().encode("ascii", "replace"))
