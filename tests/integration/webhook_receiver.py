"""A real HTTP receiver of webhooks on localhost, in a thread, whose answers a test scripts: fail (an
HTTP status), hang past the sender's timeout, or accept. It records every request it got."""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

import orjson

from oms.domain.webhook_signature import verify


@dataclass(frozen=True)
class Received:
    path: str
    event_id: str
    event_type: str
    timestamp: str
    signature: str
    body: bytes
    status: int  # what the receiver answered
    delay: float  # seconds it waited before answering (past the sender's timeout: the sender saw none)

    @property
    def envelope(self) -> dict:
        return orjson.loads(self.body)

    def verifies(self, secret: str) -> bool:
        return verify(secret, self.timestamp, self.signature, self.body, now=time.time())


# answer(n, path) -> (status, seconds to wait before answering); n counts requests from 1
Script = Callable[[int, str], tuple[int, float]]


def accept(n: int, path: str) -> tuple[int, float]:
    return 200, 0.0


class Receiver:
    def __init__(self, script: Script = accept):
        self.script = script
        self.requests: list[Received] = []
        self.in_flight: dict[str, int] = {}
        self.max_in_flight: dict[str, int] = {}
        self._count = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> Self:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def accepted_ids(self) -> list[str]:
        """Event ids answered 2xx, in the order they arrived (an id may repeat)."""
        return [r.event_id for r in self.requests if 200 <= r.status < 300]

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, delay = receiver._arrived(self, body)
                try:
                    time.sleep(delay)
                finally:
                    # Over before the answer is written: the sender may send its next request the moment
                    # it reads this one's answer, possibly on another connection (another thread here).
                    receiver._left(self.path)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the sender gave up (timeout) or died

            def log_message(self, *args) -> None:
                pass

        return Handler

    def _arrived(self, handler: BaseHTTPRequestHandler, body: bytes) -> tuple[int, float]:
        """Record the request (in the order requests arrive) and script its answer."""
        h, path = handler.headers, handler.path
        with self._lock:
            self.in_flight[path] = self.in_flight.get(path, 0) + 1
            self.max_in_flight[path] = max(self.max_in_flight.get(path, 0), self.in_flight[path])
            self._count += 1
            status, delay = self.script(self._count, path)
            self.requests.append(Received(path, h["OMS-Event-Id"], h["OMS-Event-Type"], h["OMS-Timestamp"],
                                          h["OMS-Signature"], body, status, delay))  # fmt: skip
            return status, delay

    def _left(self, path: str) -> None:
        with self._lock:
            self.in_flight[path] -= 1
