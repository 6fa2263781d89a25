import pytest

from oms.services.actor import Role
from tests.api.conftest import client  # noqa: F401  (the API client on the small test network)
from tests.channels.edi.samples import PARTNER_SETTINGS
from tests.factories import api_key, set_stock


@pytest.fixture
def partner(client, engine):  # noqa: F811
    """Channel b2b set up as an EDI partner (pulled documents), with stock of every test SKU at Lyon."""
    body = {"adapter": "edi", "settings": PARTNER_SETTINGS}
    response = client.put("/api/v1/channels/b2b/integration", json=body, headers=api_key(engine, Role.ADMIN))
    assert response.status_code == 200, response.text
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 50)
    return client
