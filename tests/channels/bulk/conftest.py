import pytest

from tests.api.conftest import client  # noqa: F401  (the API client on the small test network)
from tests.channels.bulk.files import stock_the_files_skus
from tests.factories import add_network


@pytest.fixture
def stocked(engine):
    """The small test network, the files' SKUs stocked."""
    add_network(engine)
    stock_the_files_skus(engine)
    return engine
