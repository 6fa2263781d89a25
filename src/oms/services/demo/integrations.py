"""The demo channels' adapters: the web shop is a Shopify store, the marketplace channel a Mirakl-like
marketplace, the B2B channel an EDI trading partner; documents owed to them wait to be pulled. The
Shopify webhook secret is random and written once to `<data_dir>/demo-channel-secrets.json`, readable by
the owner only, so a demo webhook can be signed."""

import secrets

from sqlalchemy import Connection, insert

from oms.db.tables import channel_integrations
from oms.services.channel_integrations import SETTINGS

SECRETS_FILE = "demo-channel-secrets.json"
SHOPIFY_CHANNEL = "web"
_ADAPTERS = (
    (SHOPIFY_CHANNEL, "shopify", {"shop_domain": "demo-outdoor.myshopify.com"}),
    ("marketplace", "marketplace", {"preset": "mirakl"}),
    ("b2b", "edi", {"default_country": "FR"}),
)


def create_demo_integrations(conn: Connection) -> dict[str, str]:
    """{channel: the secret its webhooks are signed with}."""
    webhook_secret = f"shpss_demo_{secrets.token_hex(16)}"
    rows = [
        {"channel_id": channel, "adapter": adapter, "updated_by": "demo",
         "settings": _checked(adapter, settings),
         "secret": webhook_secret if channel == SHOPIFY_CHANNEL else None}
        for channel, adapter, settings in _ADAPTERS
    ]  # fmt: skip
    conn.execute(insert(channel_integrations), rows)
    return {SHOPIFY_CHANNEL: webhook_secret}


def _checked(adapter: str, settings: dict) -> dict:
    """The settings as the integration API would store them (a demo mistake fails the seed, loudly)."""
    return SETTINGS[adapter].model_validate(settings).model_dump(mode="json")
