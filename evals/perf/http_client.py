"""A lean HTTP/1.1 keep-alive client on asyncio streams, for load generation only.

Why not httpx: client and server share 2 cores here, so every microsecond the load generator spends is
taken from the API workers and PostgreSQL. Requests are encoded to bytes before the clock starts, and a
response costs one `readuntil` for the head, a scan for Content-Length and one `readexactly` for the body.
Only what uvicorn answers to our requests is supported: Content-Length bodies, no chunked encoding.
"""

import asyncio

import orjson


def encode_request(method: str, path: str, host: str, headers: dict[str, str], body=None) -> bytes:
    """The full request as bytes: head plus (for a JSON `body`) its serialised payload."""
    payload = b"" if body is None else orjson.dumps(body)
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(payload)}"]
    if body is not None:
        lines.append("Content-Type: application/json")
    lines += [f"{name}: {value}" for name, value in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload


class ProtocolError(Exception):
    """The server answered something this client does not parse (or closed mid-response)."""


class HttpConnection:
    """One persistent connection. Reconnects lazily after the server closes it; never retries a
    request (a retried order capture would be a different measurement)."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def open(self) -> None:
        self._reader, self._writer = await asyncio.open_connection(self.host, self.port)

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send pre-encoded `raw` and return (status, body)."""
        if self._writer is None:
            await self.open()
        try:
            self._writer.write(raw)
            head = await self._reader.readuntil(b"\r\n\r\n")
            status, length, closing = _parse_head(head)
            body = await self._reader.readexactly(length) if length else b""
        except ProtocolError:
            self.close()  # the stream position is unknown: this connection cannot be reused
            raise
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError) as exc:
            self.close()
            raise ProtocolError(f"connection failed mid-request: {exc!r}") from exc
        if closing:
            self.close()
        return status, body

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._reader = self._writer = None


def _parse_head(head: bytes) -> tuple[int, int, bool]:
    """(status, Content-Length, server closes after this response) from a response head."""
    if not head.startswith(b"HTTP/1.1 "):
        raise ProtocolError(f"not an HTTP/1.1 response: {head[:40]!r}")
    status = int(head[9:12])
    lowered = head.lower()
    if b"\r\ntransfer-encoding: chunked" in lowered:
        raise ProtocolError("chunked responses are not supported by the load client")
    start = lowered.find(b"\r\ncontent-length:")
    length = 0
    if start >= 0:
        start += len(b"\r\ncontent-length:")
        length = int(lowered[start : lowered.index(b"\r\n", start)])
    return status, length, b"\r\nconnection: close" in lowered
