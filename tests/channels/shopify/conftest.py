import pytest

from tests.api.conftest import client  # noqa: F401  (the API client on the small test network, as ops)
from tests.channels.shopify.shop import connect_shop, stock_everything


@pytest.fixture
def shop(client, engine):  # noqa: F811
    """The API client with channel web connected to the demo Shopify shop, and stock to sell."""
    connect_shop(engine, pickup_locations={"Paris Rivoli": "ST-PARIS"})
    stock_everything(engine)
    return client
