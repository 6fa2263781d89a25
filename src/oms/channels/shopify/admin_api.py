"""The one call the OMS makes to Shopify's Admin API: set an inventory item's available quantity at a
location (REST `POST /admin/api/{version}/inventory_levels/set.json`, authenticated by the app's access
token in `X-Shopify-Access-Token`).

Shopify rate-limits each app (a leaky bucket): a 429 carries `Retry-After` (seconds, possibly
fractional), which is waited before trying again. A 5xx or a network failure is retried with
exponential backoff. Either gives up after `max_attempts` (ShopifyUnavailable: try again later). A 401,
402, 403 or 423 refuses every call of the app, not this level (a revoked token, a missing scope, a shop
frozen or locked): ShopifyUnavailable at once, so that the levels are sent once it is fixed. Any other
4xx is Shopify refusing this level (ShopifyRefused: an item not tracked or not stocked at the location)
and is not retried.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import httpx

from oms.channels.shopify.inventory import Level
from oms.domain.webhook_retry import RetryPolicy, retry_delay

BACKOFF = RetryPolicy(base_s=0.5, cap_s=8.0)
DEFAULT_RETRY_AFTER_S = 2.0  # Shopify's own advice when a 429 comes without the header
MAX_RETRY_AFTER_S = 60.0
MAX_ERROR_CHARS = 300
SHOP_REFUSED = frozenset({401, 402, 403, 423})  # the token, the app's scopes, the shop's plan or lock


class ShopifyRefused(Exception):
    """Shopify answered 4xx (not 429): this request will not succeed as it is."""


class ShopifyUnavailable(Exception):
    """Shopify kept answering 429 or 5xx, could not be reached, or refuses the app's calls: try again later."""


@dataclass
class AdminApi:
    base_url: str  # https://{shop_domain}, or a stand-in's address
    api_version: str
    access_token: str
    client: httpx.Client
    max_attempts: int = 5
    sleep: Callable[[float], None] = time.sleep

    def set_available(self, level: Level) -> None:
        url = f"{self.base_url}/admin/api/{self.api_version}/inventory_levels/set.json"
        body = {"location_id": level.location_id, "inventory_item_id": level.inventory_item_id,
                "available": level.available}  # fmt: skip
        headers = {"X-Shopify-Access-Token": self.access_token}
        for attempt in range(1, self.max_attempts + 1):
            try:
                response = self.client.post(url, json=body, headers=headers)
            except httpx.HTTPError as error:
                problem, wait = f"{type(error).__name__}: {error}", retry_delay(BACKOFF, attempt, 0.5)
            else:
                if response.is_success:
                    return
                problem = f"HTTP {response.status_code}: {response.text}"[:MAX_ERROR_CHARS]
                if response.status_code == 429:
                    wait = _retry_after(response)
                elif response.status_code >= 500:
                    wait = retry_delay(BACKOFF, attempt, 0.5)
                elif response.status_code in SHOP_REFUSED:
                    raise ShopifyUnavailable(problem)
                else:
                    raise ShopifyRefused(problem)
            if attempt == self.max_attempts:
                raise ShopifyUnavailable(f"after {attempt} attempts: {problem}")
            self.sleep(wait)


@cache
def shared_client() -> httpx.Client:
    """The process's client, made when first needed (its TLS setup costs tens of milliseconds), its
    connections kept alive from one push to the next."""
    return httpx.Client(timeout=httpx.Timeout(10.0, connect=3.0), follow_redirects=False,
                        headers={"User-Agent": "oms-shopify/1"})  # fmt: skip


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(max(float(response.headers["Retry-After"]), 0.0), MAX_RETRY_AFTER_S)
    except (KeyError, ValueError):
        return DEFAULT_RETRY_AFTER_S
