"""Marketplace test data: realistic order JSON (fixtures/) and the calls that set a channel up and post."""

import copy
import json
from functools import cache
from pathlib import Path

from oms.services.actor import Role
from tests.factories import api_key

FIXTURES = Path(__file__).parent / "fixtures"
ORDERS = "/api/v1/channels/marketplace/marketplace/orders"


@cache
def _fixture(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def order(name: str) -> dict:
    """A fresh copy of fixtures/<name>.json, to change freely."""
    return copy.deepcopy(_fixture(name))


def integrate(client, engine, settings: dict, channel: str = "marketplace"):
    """Set `channel`'s marketplace integration (as an admin); the answer."""
    return client.put(f"/api/v1/channels/{channel}/integration", headers=api_key(engine, Role.ADMIN),
                      json={"adapter": "marketplace", "settings": settings})  # fmt: skip


def post(client, body: dict | bytes, headers: dict | None = None):
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(ORDERS, content=content, headers={"Content-Type": "application/json", **(headers or {})})
