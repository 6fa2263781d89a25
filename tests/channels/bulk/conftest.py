from tests.api.conftest import client  # noqa: F401  (the API client on the small test network)
