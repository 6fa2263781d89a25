import pytest
from fastapi.testclient import TestClient

from oms.api.app import create_app
from oms.services.actor import Role
from tests.factories import add_network, api_key


@pytest.fixture
def client(engine):
    """An API client on the small test network, signed in as ops."""
    add_network(engine)
    with TestClient(create_app(engine)) as c:
        c.headers.update(api_key(engine, Role.OPS))
        yield c
