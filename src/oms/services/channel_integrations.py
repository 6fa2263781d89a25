"""How a channel's adapter talks to it: which adapter (shopify, marketplace, edi) with its own settings,
the secret that verifies what the channel sends, the token the OMS calls it with, and how documents the
OMS owes it (oms.services.channel_documents) reach it: POSTed (http), dropped as files (file), or pulled
by the channel through the API (pull). A channel never configured has no adapter: it captures through
the orders API only."""

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Connection, text

from oms.channels.edi.settings import EdiSettings
from oms.channels.marketplace.settings import MarketplaceSettings
from oms.channels.shopify.settings import ShopifySettings
from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.order_models import Command
from oms.services.uow import UnitOfWork
from oms.services.webhook_subscriptions import WebhookUrl

Adapter = Literal["shopify", "marketplace", "edi"]
Transport = Literal["http", "file", "pull"]
SETTINGS: dict[str, type[BaseModel]] = {
    "shopify": ShopifySettings,
    "marketplace": MarketplaceSettings,
    "edi": EdiSettings,
}


class ChannelIntegrationIn(Command):
    adapter: Adapter
    settings: dict = Field(default={}, description="The adapter's own settings, checked against its schema")
    secret: str | None = Field(default=None, min_length=16, max_length=200,
                               description="Verifies what the channel sends (e.g. Shopify's webhook key)")  # fmt: skip
    api_token: str | None = Field(default=None, min_length=1, max_length=500,
                                  description="Authenticates what the OMS sends the channel")  # fmt: skip
    transport: Transport = Field(default="pull", description="How documents owed to the channel reach it")
    endpoint_url: WebhookUrl | None = Field(default=None, description="Where http documents are POSTed")
    drop_dir: str | None = Field(default=None, max_length=1000, pattern=r"^/")
    enabled: bool = True


class ChannelIntegrationPublic(BaseModel):
    channel_id: str
    adapter: Adapter
    settings: dict
    secret_set: bool = Field(description="The secret itself is never shown")
    api_token_set: bool
    transport: Transport
    endpoint_url: str | None
    drop_dir: str | None
    enabled: bool
    updated_by: str
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Integration:
    """A channel's integration as its adapter uses it, secrets included (never shown)."""

    channel_id: str
    adapter: Adapter
    settings: BaseModel
    secret: str | None
    api_token: str | None
    transport: Transport
    endpoint_url: str | None
    drop_dir: str | None
    enabled: bool


_COLUMNS = """channel_id, adapter, settings, secret, api_token, transport, endpoint_url, drop_dir, enabled,
              updated_by, updated_at"""
_READ = text(f"SELECT {_COLUMNS} FROM channel_integrations WHERE channel_id = :channel")
_CHANNEL = text("SELECT EXISTS (SELECT 1 FROM channels WHERE id = :channel)")
_UPSERT = text(
    """
    INSERT INTO channel_integrations (channel_id, adapter, settings, secret, api_token, transport, endpoint_url,
                                      drop_dir, enabled, updated_by)
    VALUES (:channel, :adapter, CAST(:settings AS jsonb), :secret, :api_token, :transport, :endpoint_url,
            :drop_dir, :enabled, :actor)
    ON CONFLICT (channel_id) DO UPDATE SET adapter = excluded.adapter, settings = excluded.settings,
      secret = excluded.secret, api_token = excluded.api_token, transport = excluded.transport,
      endpoint_url = excluded.endpoint_url, drop_dir = excluded.drop_dir, enabled = excluded.enabled,
      updated_by = excluded.updated_by, updated_at = now()
    """
)
_NEEDS = {"http": ("endpoint_url", "secret"), "file": ("drop_dir",), "pull": ()}  # http documents are signed


def load_integration(conn: Connection, channel_id: str, adapter: Adapter) -> Integration | None:
    """The channel's integration if it is enabled and uses `adapter`, else None."""
    row = conn.execute(_READ, {"channel": channel_id}).first()
    if row is None or row.adapter != adapter or not row.enabled:
        return None
    return Integration(row.channel_id, row.adapter, SETTINGS[row.adapter].model_validate(row.settings), row.secret,
                       row.api_token, row.transport, row.endpoint_url, row.drop_dir, row.enabled)  # fmt: skip


def get_integration(uow: UnitOfWork, actor: Actor, channel_id: str) -> ChannelIntegrationPublic:
    actor.require(Permission.CHANNELS_READ)
    with uow.reading():
        row = uow.conn.execute(_READ, {"channel": channel_id}).first()
    if row is None:
        raise NotFound(f"channel '{channel_id}' has no integration")
    return _public(row)


def set_integration(
    uow: UnitOfWork, actor: Actor, channel_id: str, cmd: ChannelIntegrationIn
) -> ChannelIntegrationPublic:
    """Replace the channel's integration (secrets are replaced too: send them again)."""
    actor.require(Permission.CHANNELS_MANAGE)
    settings = _checked(cmd)
    values = {name: getattr(cmd, name) if name in _NEEDS[cmd.transport] else None
              for name in ("endpoint_url", "drop_dir")}  # fmt: skip
    with uow:
        if not uow.conn.execute(_CHANNEL, {"channel": channel_id}).scalar_one():
            raise NotFound(f"no channel '{channel_id}'")
        before = uow.conn.execute(_READ, {"channel": channel_id}).first()
        uow.conn.execute(_UPSERT, {"channel": channel_id, "adapter": cmd.adapter, "settings": dumps_json(settings),
                                   "secret": cmd.secret, "api_token": cmd.api_token, "transport": cmd.transport,
                                   "enabled": cmd.enabled, "actor": actor.name, **values})  # fmt: skip
        after = _public(uow.conn.execute(_READ, {"channel": channel_id}).one())
        uow.record(actor, "channel.integration_set", "channel", channel_id,
                   before=_public(before).model_dump(mode="json") if before else None,
                   after=after.model_dump(mode="json"))  # secrets are never in an event  # fmt: skip
        uow.commit()
    return after


def _checked(cmd: ChannelIntegrationIn) -> dict:
    """The adapter's settings as its schema reads them, or 422 naming each bad field."""
    errors = [FieldError((name,), f"transport {cmd.transport} needs {name}", "missing")
              for name in _NEEDS[cmd.transport] if getattr(cmd, name) is None]  # fmt: skip
    try:
        settings = SETTINGS[cmd.adapter].model_validate(cmd.settings).model_dump(mode="json")
    except ValidationError as error:
        settings = {}
        errors += [FieldError(("settings", *e["loc"]), e["msg"], e["type"]) for e in error.errors()]
    if errors:
        raise ValidationFailed(errors)
    return settings


def _public(row) -> ChannelIntegrationPublic:
    return ChannelIntegrationPublic.model_validate(
        {**row._mapping, "secret_set": row.secret is not None, "api_token_set": row.api_token is not None}
    )
