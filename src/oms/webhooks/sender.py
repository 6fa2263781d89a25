"""One signed POST of a webhook envelope; what came back, as an outcome the delivery job records.

Short timeouts: a slow receiver must not hold a worker thread (or a subscription's lease) for long, and a
timeout is retried like any failure. Redirects are not followed: a receiver answers 2xx itself. Only the
start of an answer's body is read, within the timeout: httpx's timeouts are per read, so an answer that
streams on (or a huge page) would otherwise hold the thread past its lease, and its memory grow.
"""

import time
from dataclasses import dataclass

import httpx

from oms.domain.webhook_signature import signed_headers

MAX_ERROR_CHARS = 300  # of a failed answer's body, kept with the delivery to say why
MAX_BODY_BYTES = 4096  # of an answer's body read; a short answer is read whole, so the connection is reused


@dataclass(frozen=True)
class Outcome:
    status_code: int | None  # None: no answer (refused, timeout, ...)
    error: str | None  # None when delivered
    body: bytes = b""  # the start of the answer's body (a WMS's answer carries its reference)

    @property
    def delivered(self) -> bool:
        return self.error is None


def http_client(timeout_s: float) -> httpx.Client:
    """A client for many sends (thread-safe, keeps connections alive)."""
    timeout = httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0))
    return httpx.Client(timeout=timeout, follow_redirects=False, headers={"User-Agent": "oms-webhooks/1"})


def send(
    client: httpx.Client, url: str, secret: str, event_id: str, event_type: str, body: bytes,
    content_type: str = "application/json",
) -> Outcome:  # fmt: skip
    headers = signed_headers(secret, event_id, event_type, int(time.time()), body, content_type)
    deadline = time.monotonic() + client.timeout.read
    try:
        with client.stream("POST", url, content=body, headers=headers) as response:
            start = _start_of_body(response, deadline)
    except httpx.TimeoutException:
        return Outcome(None, "timeout")
    except (httpx.HTTPError, httpx.InvalidURL) as error:  # InvalidURL: a URL stored before they were checked
        return Outcome(None, f"{type(error).__name__}: {error}"[:MAX_ERROR_CHARS])
    if 200 <= response.status_code < 300:
        return Outcome(response.status_code, None, start)
    text = start.decode(response.encoding, errors="replace")
    return Outcome(response.status_code, f"HTTP {response.status_code}: {text}"[:MAX_ERROR_CHARS])


def _start_of_body(response: httpx.Response, deadline: float) -> bytes:
    """The body's first MAX_BODY_BYTES, or what arrived of it by `deadline` (time.monotonic())."""
    start = b""
    for chunk in response.iter_bytes():
        start += chunk
        if len(start) >= MAX_BODY_BYTES or time.monotonic() > deadline:
            break
    return start[:MAX_BODY_BYTES]
