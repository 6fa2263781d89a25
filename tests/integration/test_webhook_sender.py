"""One send against receivers that misbehave on the wire: an answer that streams on, or a URL the HTTP
client cannot even parse. Each must end as an outcome within the timeout, never hang or raise."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from oms.webhooks.sender import MAX_ERROR_CHARS, http_client, send


class _Streaming(BaseHTTPRequestHandler):
    """Answers at once, then streams its body for 10 s (a streaming endpoint, or a huge page)."""

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(int(self.path.strip("/")))
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"400\r\n" + b"x" * 1024 + b"\r\n")
                self.wfile.flush()
                time.sleep(0.05)
        except OSError:
            pass  # the sender hung up: what it should do

    def log_message(self, *args) -> None:
        pass


def test_an_answer_that_streams_on_ends_within_the_timeout():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Streaming)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with http_client(0.5) as client:
            for status, delivered in ((200, True), (500, False)):
                started = time.monotonic()
                outcome = send(client, f"{base}/{status}", "s" * 16, "id", "order.created", b"{}")
                assert time.monotonic() - started < 2.0  # not the 10 s the body would take
                assert (outcome.status_code, outcome.delivered) == (status, delivered)
        assert outcome.error.startswith("HTTP 500: xxx") and len(outcome.error) == MAX_ERROR_CHARS
    finally:
        server.shutdown()
        server.server_close()


def test_a_url_the_client_cannot_parse_is_a_failed_attempt():
    """Stored before URLs were checked as the sender parses them: a failure to retry, not an exception
    that stops every run of the delivery job."""
    with http_client(0.5) as client:
        outcome = send(client, "http://erp..example.çom/in", "s" * 16, "id", "order.created", b"{}")
    assert outcome.status_code is None and outcome.error.startswith("InvalidURL")
