import re

import pytest
from fastapi.testclient import TestClient

from oms.api.app import create_app
from oms.services.actor import Role
from tests.factories import add_network, api_key, order_body, set_stock


def csrf_of(page_text: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page_text).group(1)


def sign_in_with_key(client: TestClient, key: str, next: str = "/"):
    token = csrf_of(client.get("/sign-in").text)
    return client.post("/sign-in", data={"api_key": key, "csrf_token": token, "next": next}, follow_redirects=False)


@pytest.fixture
def web(engine):
    """A browser-like client (cookies kept, no API key header) on the small test network."""
    add_network(engine)
    with TestClient(create_app(engine)) as c:
        yield c


@pytest.fixture
def api_headers(engine):
    return api_key(engine, Role.OPS)


def as_role(web: TestClient, engine, role: Role, channel: str | None = None) -> TestClient:
    answer = sign_in_with_key(web, api_key(engine, role, channel)["X-API-Key"])
    assert answer.status_code == 303, answer.text
    return web


@pytest.fixture
def captured(engine, web, api_headers):
    """Two orders captured through the API: WEB-1 (Camille Martin) and WEB-2 (Jonas Weber, Köln)."""
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=10)
    first = web.post("/api/v1/orders", json=order_body("WEB-1"), headers=api_headers).json()
    second = web.post("/api/v1/orders", headers=api_headers, json=order_body(
        "WEB-2", lines=[("JKT-RED-M", 1)],
        customer={"name": "Jonas Weber", "email": "jonas.weber@example.de"},
        ship_to={"name": "Jonas Weber", "line1": "Domkloster 4", "postal_code": "50667", "city": "Köln",
                 "country": "DE"})).json()
    return first, second
