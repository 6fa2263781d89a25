"""The promise and order capture are served without FastAPI's parameters (oms.api.lean_route): their bad
input gets the problems a body parameter would, the key is checked first, and the OpenAPI document says
what FastAPI would write for the routes declared with a body parameter and the key dependency."""

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient

from oms.api.app import create_app
from oms.api.deps import ActorDep
from oms.services.actor import Role
from oms.services.order_models import OrderCreate
from oms.services.promise import PromiseRequest
from tests.factories import api_key

PATH = "/api/v1/promise"


@pytest.mark.parametrize(
    ("body", "code", "pointer"),
    [
        (b"", "json_invalid", "/"),
        (b'{"lines": [', "json_invalid", "/"),
        (b"[1, 2]", "model_type", "/"),
        (b'{"destination": {"postal_code": "75011", "country": "FR"}}', "missing", "/lines"),
        (
            b'{"lines": [{"sku": "A", "quantity": "two"}], "destination": {}}',
            "int_parsing",
            "/lines/0/quantity",
        ),
    ],
)
def test_a_body_that_is_no_cart_is_a_problem_pointing_at_the_field(client, engine, body, code, pointer):
    client.headers.update(api_key(engine, Role.VIEWER))
    response = client.post(PATH, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.headers["content-type"] == "application/problem+json"
    first = response.json()["errors"][0]
    assert (first["code"], first["pointer"], first["loc"][0]) == (code, pointer, "body")


@pytest.mark.parametrize("path", [PATH, "/api/v1/orders"])
def test_the_key_is_checked_before_the_body(engine, path):
    with TestClient(create_app(engine)) as anonymous:
        assert anonymous.post(path, content=b"not json").status_code == 401
        anonymous.headers.update({"X-API-Key": "oms_not_a_key"})
        assert anonymous.post(path, content=b"not json").status_code == 401


async def promise_cart(request: PromiseRequest, actor: ActorDep) -> None:
    """Reference: the promise route as FastAPI's own parameters would declare it."""


async def create_order(cmd: OrderCreate, actor: ActorDep) -> None:
    """Reference: order capture as FastAPI's own parameters would declare it."""


@pytest.mark.parametrize(("path", "reference"), [(PATH, promise_cart), ("/api/v1/orders", create_order)])
def test_the_openapi_document_is_what_fastapi_writes_for_a_body_parameter_and_the_key(engine, path, reference):
    native = FastAPI()
    router = APIRouter()
    router.add_api_route(path, reference, methods=["POST"])
    native.include_router(router)
    expected, served = native.openapi(), create_app(engine).openapi()
    for part in ("requestBody", "security"):
        assert served["paths"][path]["post"][part] == expected["paths"][path]["post"][part]
    bodies = set(expected["components"]["schemas"]) - {"HTTPValidationError", "ValidationError"}
    assert len(bodies) >= 3  # the body's model and the models it nests
    for name in bodies:
        assert served["components"]["schemas"][name] == expected["components"]["schemas"][name]
    assert served["components"]["securitySchemes"] == expected["components"]["securitySchemes"]
