"""A stand-in for Shopify's Admin API on localhost, in a thread: it records every request and answers as a
test scripts it (a status, headers, a body), by default as Shopify answers inventory_levels/set.json."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.integration.webhook_receiver import Receiver


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: dict

    @property
    def level(self) -> tuple[int, int, int]:
        return self.body["location_id"], self.body["inventory_item_id"], self.body["available"]


# answer(n, request) -> (status, headers, body); n counts requests from 1
Script = Callable[[int, Request], tuple[int, dict[str, str], dict]]


def shopify_sets(n: int, request: Request) -> tuple[int, dict[str, str], dict]:
    level = {"inventory_item_id": request.body["inventory_item_id"], "location_id": request.body["location_id"],
             "available": request.body["available"], "updated_at": "2026-11-20T10:20:00+01:00"}  # fmt: skip
    return 200, {"X-Shopify-Shop-Api-Call-Limit": f"{n % 40}/40"}, {"inventory_level": level}


class ShopifyStandIn(Receiver):
    """The webhook receiver's threaded server (its start, stop and address), answering as Shopify."""

    def __init__(self, script: Script = shopify_sets):
        super().__init__(script)  # self.requests will hold Request (below), not the receiver's Received

    def levels(self) -> list[tuple[int, int, int]]:
        """(location, item, available) of every request, in the order they came."""
        return [request.level for request in self.requests]

    def _handler(self):
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                request = Request("POST", self.path, dict(self.headers), json.loads(raw))
                with stand_in._lock:
                    stand_in.requests.append(request)
                    status, headers, body = stand_in.script(len(stand_in.requests), request)
                payload = json.dumps(body).encode()
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        return Handler
