"""The two transports on their own: a signed POST whose 2xx answer may carry the WMS's reference, and a
file that appears whole or not at all."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from oms.domain.webhook_signature import verify
from oms.wms import transports
from tests.integration.test_webhook_sender import _Streaming

SECRET = "a-node-secret-of-some-length"


@pytest.fixture
def wms():
    """A WMS answering 201 with its reference; it keeps what it got."""
    got = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((dict(self.headers), body))
            answer = json.dumps({"reference": "WMS-4711"}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/releases", got
    server.shutdown()
    server.server_close()


def test_a_post_is_signed_like_a_webhook_and_its_answer_carries_the_wms_reference(wms):
    url, got = wms
    delivered = transports.post(url, SECRET, b'{"fulfilment_order_id": 7}', "fulfilment-order-7")
    assert delivered == transports.Delivered(acknowledged=True, reference="WMS-4711")
    [(headers, body)] = got
    assert headers["OMS-Event-Id"] == "fulfilment-order-7" and headers["OMS-Event-Type"] == "fulfilment.released"
    assert verify(SECRET, headers["OMS-Timestamp"], headers["OMS-Signature"], body, now=time.time())
    assert not verify("another-secret", headers["OMS-Timestamp"], headers["OMS-Signature"], body, now=time.time())


def test_an_unreachable_wms_is_a_failure_that_says_why():
    with pytest.raises(transports.SendFailed, match="ConnectError"):
        transports.post("http://127.0.0.1:9/nowhere", SECRET, b"{}", "fulfilment-order-1")


def test_a_url_the_client_cannot_parse_is_a_failure_that_says_why():
    """Not an exception escaping the sending job: it stopped every run, and the error was never shown."""
    with pytest.raises(transports.SendFailed, match="InvalidURL"):
        transports.post("http://wms..example.çom/in", SECRET, b"{}", "fulfilment-order-1")


def test_an_answer_that_streams_on_ends_within_the_timeout(monkeypatch):
    """The whole body was read, each read with its own timeout: a WMS streaming its answer held the
    sending thread (and every release behind it) as long as it liked."""
    monkeypatch.setattr(transports, "TIMEOUT_SECONDS", 0.5)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Streaming)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        started = time.monotonic()
        delivered = transports.post(f"http://127.0.0.1:{server.server_address[1]}/200", SECRET, b"{}", "fo-1")
        assert time.monotonic() - started < 2.0 and delivered == transports.Delivered(acknowledged=True)
    finally:
        server.shutdown()
        server.server_close()


def test_a_dropped_file_replaces_the_previous_one_whole_and_leaves_no_temporary_file(tmp_path):
    transports.drop(str(tmp_path), "fulfilment-order-7.json", b'{"v": 1}')
    assert transports.drop(str(tmp_path), "fulfilment-order-7.json", b'{"v": 2}').acknowledged is False
    assert [p.name for p in tmp_path.iterdir()] == ["fulfilment-order-7.json"]
    assert json.loads((tmp_path / "fulfilment-order-7.json").read_text()) == {"v": 2}


def test_a_file_that_cannot_be_written_leaves_nothing_behind(tmp_path, monkeypatch):
    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(transports.os, "fsync", full_disk)
    with pytest.raises(transports.SendFailed, match="No space left"):
        transports.drop(str(tmp_path), "fulfilment-order-7.json", b"{}")
    assert list(tmp_path.iterdir()) == []
