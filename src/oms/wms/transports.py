"""The two ways a document reaches a WMS (a release) or a channel (oms.services.channel_documents), chosen
by `deliver` from the destination's transport. Both are safe to repeat: the same document (same id) may
arrive twice after a retry, and the receiver keys on its id.

HTTP: the JSON body is POSTed by the webhook sender (oms.webhooks.sender: short timeouts, only the start
of the answer read, no redirects), signed exactly as outbound webhooks are (oms.domain.webhook_signature:
`OMS-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` keyed with the node's secret, with
`OMS-Timestamp`, `OMS-Event-Type: fulfilment.released` and `OMS-Event-Id: fulfilment-order-<id>`), so a
WMS verifies it with the same few lines; any 2xx acknowledges it, and a JSON answer may carry the WMS's
own reference (`reference`). File: `<drop_dir>/<name>` appears at once, whole (written to a hidden
temporary file in the same directory, flushed, then renamed)."""

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from oms.webhooks import sender

TIMEOUT_SECONDS = 10.0


class SendFailed(Exception):
    """The document did not reach the WMS; the message says why (kept as the last error)."""


@dataclass(frozen=True, slots=True)
class Delivered:
    acknowledged: bool  # the WMS said it has it (a 2xx); a dropped file waits for an event
    reference: str | None = None


class Destination(Protocol):
    """Where a document goes: a node's or a channel's integration (the columns of its row)."""

    transport: str | None  # http, file; anything else (manual, pull, none) takes nothing
    endpoint_url: str | None
    secret: str | None
    drop_dir: str | None


def deliver(to: Destination, body: bytes, document_id: str, file_name: str, event_type: str = "fulfilment.released",
            content_type: str = "application/json") -> Delivered | None:  # fmt: skip
    """Send `body` the destination's way (signed POST, or the file `file_name` in its folder); None when it
    takes nothing sent (it works from the API). Raises SendFailed."""
    if to.transport == "http":
        return post(to.endpoint_url, to.secret, body, document_id, event_type, content_type)
    if to.transport == "file":
        return drop(to.drop_dir, file_name, body)
    return None


def post(url: str, secret: str, body: bytes, document_id: str, event_type: str = "fulfilment.released",
         content_type: str = "application/json") -> Delivered:  # fmt: skip
    with sender.http_client(TIMEOUT_SECONDS) as client:
        outcome = sender.send(client, url, secret, document_id, event_type, body, content_type)
    if not outcome.delivered:
        raise SendFailed(outcome.error)
    return Delivered(acknowledged=True, reference=_reference(outcome.body))


def drop(directory: str, name: str, body: bytes) -> Delivered:
    target = Path(directory)
    try:
        fd, temporary = tempfile.mkstemp(dir=target, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
                f.flush()
                os.fsync(f.fileno())
            os.replace(temporary, target / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise SendFailed(f"{type(error).__name__}: {error}") from error
    return Delivered(acknowledged=False)


def _reference(answer_start: bytes) -> str | None:
    try:
        answer = json.loads(answer_start)
    except ValueError:
        return None
    reference = answer.get("reference") if isinstance(answer, dict) else None
    return str(reference)[:100] if reference is not None else None
