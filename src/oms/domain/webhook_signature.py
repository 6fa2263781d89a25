"""Signing of outbound webhooks, and how a receiver verifies them.

Every delivery is an HTTP POST of a JSON body (the envelope):

    {"id": "<event id, a UUID>", "type": "order.created", "created_at": "<ISO 8601>", "data": {...}}

with these headers:

    OMS-Event-Id:     the envelope's id: the same on every retry and replay of the event, so a receiver
                      that has already processed that id can answer 2xx and do nothing (at least once
                      delivery means it will sometimes see an id twice)
    OMS-Event-Type:   the envelope's type
    OMS-Timestamp:    when this attempt was signed, in whole seconds since the Unix epoch
    OMS-Signature:    "v1=" followed by the lowercase hex HMAC-SHA256 of "{timestamp}.{body}", keyed with
                      the subscription's secret (its UTF-8 bytes), where body is the raw request body

To verify: read the raw body (before any JSON parsing), compute HMAC-SHA256(secret, f"{timestamp}.".encode()
+ body), compare it in constant time with each "v1=" value of OMS-Signature (a comma-separated list, so a
secret can be rotated), and refuse a timestamp more than a few minutes away from now (a replayed request).
`verify` below does exactly that. Answer 2xx within the timeout once the event is safely stored; anything
else is retried with backoff.
"""

import hashlib
import hmac

VERSION = "v1"
DEFAULT_TOLERANCE_S = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of "{timestamp}.{body}" under `secret`."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str, event_id: str, event_type: str, timestamp: int, body: bytes, content_type: str = "application/json"
) -> dict[str, str]:
    return {
        "Content-Type": content_type,
        "OMS-Event-Id": event_id,
        "OMS-Event-Type": event_type,
        "OMS-Timestamp": str(timestamp),
        "OMS-Signature": f"{VERSION}={signature(secret, timestamp, body)}",
    }


def verify(
    secret: str, timestamp: str, signature_header: str, body: bytes, now: float,
    tolerance_s: float = DEFAULT_TOLERANCE_S,
) -> bool:  # fmt: skip
    """Whether the OMS-Timestamp and OMS-Signature headers sign `body` under `secret` and the timestamp
    is within `tolerance_s` of `now` (seconds since the epoch)."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > tolerance_s:
        return False
    expected = signature(secret, sent_at, body)
    candidates = [part.strip().removeprefix(f"{VERSION}=") for part in signature_header.split(",")
                  if part.strip().startswith(f"{VERSION}=")]  # fmt: skip
    return any(hmac.compare_digest(expected, candidate) for candidate in candidates)
