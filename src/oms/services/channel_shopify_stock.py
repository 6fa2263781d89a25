"""Stock pushed to Shopify: per Shopify location and inventory item, the units the channel may sell at
the OMS nodes mapped to that location (settings.locations), sent only when they changed.

The units are the ATP service's (oms.services.availability): on hand less reserved and safety stock,
less what channel protections hold back from this channel; an inactive node has none. Which inventory
item a SKU is (and its variant, for line items without a SKU) is the channel's mapping, replaced whole
by `set_inventory_items`. The worker job `push_stock` pushes every Shopify channel that has an access
token and locations; `push_now` pushes one channel at once. One process pushes a channel at a time (an
advisory lock: another skips it), at most MAX_PER_RUN levels a run (Shopify allows an app about two calls
a second; the rest go next run), and a channel's run stops when Shopify is unavailable.

Idle runs are cheap: a run that sent every level it found changed remembers (in the process) a digest of
what the levels are computed from and of what was sent; the next run reads the two digests (one
statement, in the database) and stops there when both are the same, without reading the stock itself.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, Field, model_validator
from sqlalchemy import Connection, Engine, text

from oms.channels.shopify import admin_api
from oms.channels.shopify.inventory import Level, changed, levels
from oms.channels.shopify.settings import ShopifySettings
from oms.db.engine import dumps_json
from oms.services.actor import Actor, Permission
from oms.services.availability import load_protections, load_stock
from oms.services.channel_integrations import Integration, load_integration
from oms.services.errors import FieldError, NotFound, ValidationFailed
from oms.services.order_models import Command, Sku
from oms.services.uow import UnitOfWork

MAX_PER_RUN = 200
MAX_ITEMS = 20_000
_CHANNELS = text(
    """
    SELECT channel_id FROM channel_integrations
    WHERE adapter = 'shopify' AND enabled AND api_token IS NOT NULL AND settings ? 'locations'
    ORDER BY channel_id
    """
)
_ADAPTER = text("SELECT adapter FROM channel_integrations WHERE channel_id = :channel")
_ITEMS = text("SELECT sku, inventory_item_id FROM shopify_inventory_items WHERE channel_id = :channel")
_SENT = text("SELECT location_id, inventory_item_id, available FROM shopify_inventory_levels WHERE channel_id = :channel")
_REMEMBER = text(
    """
    INSERT INTO shopify_inventory_levels (channel_id, location_id, inventory_item_id, available, refused)
    VALUES (:channel, :location, :item, :available, :refused)
    ON CONFLICT (channel_id, location_id, inventory_item_id)
    DO UPDATE SET available = excluded.available, refused = excluded.refused, updated_at = now()
    """
)
# Digests of everything the channel's levels are computed from (its mapping, its protections, the stock of
# its mapped SKUs at its locations' active nodes), and of the levels last sent. A sum of row hashes needs
# no sort: a few milliseconds per thousand SKUs.
_SENT_DIGEST_SQL = """
    SELECT coalesce(sum(hashtextextended(concat_ws('|', location_id, inventory_item_id, available), 0)), 0)::text
    FROM shopify_inventory_levels WHERE channel_id = :channel
"""
_SENT_DIGEST = text(_SENT_DIGEST_SQL)
_DIGESTS = text(
    f"""
    SELECT format('%s/%s/%s',
        (SELECT sum(hashtextextended(concat_ws('|', sku, inventory_item_id), 0))
         FROM shopify_inventory_items WHERE channel_id = :channel),
        (SELECT md5(string_agg(p::text, ',' ORDER BY p.id)) FROM channel_protections p WHERE p.channel_id = :channel),
        (SELECT sum(hashtextextended(concat_ws('|', i.node_id, i.sku, i.on_hand, i.reserved, i.safety_stock), 0))
         FROM inventory i JOIN nodes n ON n.id = i.node_id AND n.active
         WHERE i.node_id = ANY(:nodes)
           AND i.sku IN (SELECT sku FROM shopify_inventory_items WHERE channel_id = :channel))) AS inputs,
      ({_SENT_DIGEST_SQL}) AS sent
    """
)
_LOCK = text("SELECT pg_try_advisory_lock(hashtext('oms.shopify_stock'), hashtext(:channel))")
_UNLOCK = text("SELECT pg_advisory_unlock(hashtext('oms.shopify_stock'), hashtext(:channel))")
_KNOWN_SKUS = text("SELECT sku FROM products WHERE sku = ANY(:skus)")
_DROP_ITEMS = text("DELETE FROM shopify_inventory_items WHERE channel_id = :channel")
_INSERT_ITEMS = text(
    """
    INSERT INTO shopify_inventory_items (channel_id, sku, inventory_item_id, variant_id)
    SELECT :channel, v.sku, v.inventory_item_id, v.variant_id
    FROM jsonb_to_recordset(CAST(:items AS jsonb)) AS v(sku text, inventory_item_id bigint, variant_id bigint)
    """
)
# Levels of items no longer mapped are forgotten: an item mapped again is pushed afresh.
_FORGET_LEVELS = text(
    """
    DELETE FROM shopify_inventory_levels l WHERE l.channel_id = :channel AND NOT EXISTS (
      SELECT 1 FROM shopify_inventory_items i WHERE i.channel_id = l.channel_id
        AND i.inventory_item_id = l.inventory_item_id)
    """
)
_LIST = text(
    """
    SELECT i.sku, i.inventory_item_id, i.variant_id,
           coalesce(json_agg(json_build_object('location_id', l.location_id, 'available', l.available,
                                               'refused', l.refused, 'updated_at', l.updated_at)
                             ORDER BY l.location_id) FILTER (WHERE l.location_id IS NOT NULL), '[]') AS levels
    FROM shopify_inventory_items i
    LEFT JOIN shopify_inventory_levels l ON l.channel_id = i.channel_id AND l.inventory_item_id = i.inventory_item_id
    WHERE i.channel_id = :channel AND (CAST(:after AS text) IS NULL OR i.sku > :after)
    GROUP BY i.sku, i.inventory_item_id, i.variant_id ORDER BY i.sku LIMIT :limit
    """
)


# Per channel, the digests (inputs, sent) and locations after the last run of this process that sent every
# level it found changed: while they stay the same, there is nothing to send.
_sent_whole: dict[str, tuple[str, str, tuple]] = {}


class InventoryItemIn(Command):
    sku: Sku
    inventory_item_id: int = Field(gt=0)
    variant_id: int | None = Field(default=None, gt=0)


class InventoryItemsIn(Command):
    items: list[InventoryItemIn] = Field(max_length=MAX_ITEMS)

    @model_validator(mode="after")
    def _each_once(self) -> "InventoryItemsIn":
        for name in ("sku", "inventory_item_id", "variant_id"):
            values = [getattr(item, name) for item in self.items if getattr(item, name) is not None]
            if len(values) != len(set(values)):
                raise ValueError(f"each {name} may be mapped once")
        return self


class InventoryLevelPublic(BaseModel):
    location_id: int
    available: int = Field(description="What was last sent to Shopify")
    refused: str | None = Field(description="Shopify's answer when it refused that value (sent again once it changes)")
    updated_at: dt.datetime


class InventoryItemPublic(BaseModel):
    sku: str
    inventory_item_id: int
    variant_id: int | None
    levels: list[InventoryLevelPublic]


class InventoryItemsSaved(BaseModel):
    channel_id: str
    items: int = Field(description="SKUs now mapped")


class StockPush(BaseModel):
    channel_id: str
    pushed: int = Field(description="Levels Shopify took")
    refused: int = Field(description="Levels Shopify refused (kept with its answer)")
    left: int = Field(description="Changed levels not sent in this run (the run's limit, or Shopify unavailable)")
    unavailable: str | None = Field(
        description="Why the run stopped early: Shopify unreachable, or refusing the app (token, scope, locked shop)"
    )
    busy: bool = Field(default=False, description="Another process was pushing this channel")


def set_inventory_items(uow: UnitOfWork, actor: Actor, channel_id: str, cmd: InventoryItemsIn) -> InventoryItemsSaved:
    """Replace the channel's SKU -> inventory item mapping."""
    actor.require(Permission.CHANNELS_MANAGE)
    with uow:
        _require_shopify(uow.conn, channel_id)
        skus = [item.sku for item in cmd.items]
        known = set(uow.conn.execute(_KNOWN_SKUS, {"skus": skus}).scalars())
        if errors := [FieldError(("items", i, "sku"), f"unknown SKU '{sku}'", "unknown_sku")
                      for i, sku in enumerate(skus) if sku not in known]:  # fmt: skip
            raise ValidationFailed(errors)
        uow.conn.execute(_DROP_ITEMS, {"channel": channel_id})  # one statement would see the old rows' keys
        uow.conn.execute(_INSERT_ITEMS, {"channel": channel_id, "items": dumps_json(cmd.model_dump()["items"])})
        uow.conn.execute(_FORGET_LEVELS, {"channel": channel_id})
        uow.record(actor, "channel.shopify_inventory_items_set", "channel", channel_id, after={"items": len(skus)})
        uow.commit()
    return InventoryItemsSaved(channel_id=channel_id, items=len(skus))


def list_inventory_items(uow: UnitOfWork, actor: Actor, channel_id: str, after: str | None = None,
                         limit: int = 100) -> list[InventoryItemPublic]:  # fmt: skip
    """The channel's mapping by SKU, with what was last sent per location; `after` a SKU pages on."""
    actor.require(Permission.CHANNELS_READ)
    with uow.reading():
        _require_shopify(uow.conn, channel_id)
        rows = uow.conn.execute(_LIST, {"channel": channel_id, "after": after, "limit": limit}).mappings()
        return [InventoryItemPublic.model_validate(row) for row in rows]


def push_now(uow: UnitOfWork, actor: Actor, channel_id: str) -> StockPush:
    actor.require(Permission.INVENTORY_WRITE)
    with uow.reading():
        integration = load_integration(uow.conn, channel_id, "shopify")
    if integration is None:
        raise NotFound(f"channel '{channel_id}' has no enabled Shopify integration")
    return _push(uow.engine, integration)


def push_stock(engine: Engine) -> int:
    """The worker's job: push what changed on every Shopify channel; how many levels Shopify took."""
    with engine.connect() as conn:
        channels = conn.execute(_CHANNELS).scalars().all()
        integrations = [load_integration(conn, channel_id, "shopify") for channel_id in channels]
    return sum(_push(engine, integration).pushed for integration in integrations if integration is not None)


def _push(engine: Engine, integration: Integration) -> StockPush:
    channel_id, settings = integration.channel_id, integration.settings
    result = StockPush(channel_id=channel_id, pushed=0, refused=0, left=0, unavailable=None)
    with _turn(engine, channel_id) as conn:
        if conn is None:
            return result.model_copy(update={"busy": True})
        inputs, todo = _changes(engine, integration)
        if todo is None:
            return result  # nothing changed since every level was sent
        if todo and not integration.api_token:
            return result.model_copy(update={"left": len(todo), "unavailable": "the integration has no api_token"})
        api = admin_api.AdminApi(settings.admin_base_url(), settings.api_version, integration.api_token or "",
                                 admin_api.shared_client())  # fmt: skip
        for index, level in enumerate(todo[:MAX_PER_RUN]):
            try:
                api.set_available(level)
            except admin_api.ShopifyRefused as refusal:
                _remember(conn, channel_id, level, str(refusal))
                result.refused += 1
                continue
            except admin_api.ShopifyUnavailable as failure:
                result.unavailable = str(failure)
                result.left = len(todo) - index
                return result
            _remember(conn, channel_id, level, None)
            result.pushed += 1
        result.left = max(len(todo) - MAX_PER_RUN, 0)
        if not result.left:  # every level computed from `inputs` is sent now
            sent = conn.execute(_SENT_DIGEST, {"channel": channel_id}).scalar_one()
            _sent_whole[channel_id] = (inputs, sent, _locations(settings))
    return result


def _changes(engine: Engine, integration: Integration) -> tuple[str, list[Level] | None]:
    """The digest of the inputs, and the levels that differ from those sent (None: nothing changed since a
    run sent every level), read in one snapshot so that the levels are those of the digest."""
    channel_id, settings = integration.channel_id, integration.settings
    with engine.connect() as conn:
        conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            digests = conn.execute(_DIGESTS, {"channel": channel_id, "nodes": list(settings.locations)}).one()
            if _sent_whole.get(channel_id) == (digests.inputs, digests.sent, _locations(settings)):
                return digests.inputs, None
            sent = {(r.location_id, r.inventory_item_id): r.available for r in conn.execute(_SENT, {"channel": channel_id})}
            return digests.inputs, changed(_levels(conn, channel_id, settings), sent)


def _locations(settings: ShopifySettings) -> tuple:
    return tuple(sorted(settings.locations.items()))


def _levels(conn: Connection, channel_id: str, settings: ShopifySettings) -> list[Level]:
    items = dict(conn.execute(_ITEMS, {"channel": channel_id}).all())
    if not items or not settings.locations:
        return []
    skus = sorted(items)
    protections = load_protections(conn, channel_id, skus)
    atp = {(s.position.node_id, s.position.sku): s.atp(channel_id, protections)
           for s in load_stock(conn, skus) if s.position.node_id in settings.locations}  # fmt: skip
    return levels(atp, settings.locations, items)


def _remember(conn: Connection, channel_id: str, level: Level, refused: str | None) -> None:
    conn.execute(_REMEMBER, {"channel": channel_id, "location": level.location_id, "item": level.inventory_item_id,
                             "available": level.available, "refused": refused})  # fmt: skip


@contextmanager
def _turn(engine: Engine, channel_id: str) -> Iterator[Connection | None]:
    """A connection (autocommit) holding the channel's push lock, or None when another process holds it."""
    with engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT")
        if not conn.execute(_LOCK, {"channel": channel_id}).scalar_one():
            yield None
            return
        try:
            yield conn
        finally:
            conn.execute(_UNLOCK, {"channel": channel_id})


def _require_shopify(conn: Connection, channel_id: str) -> None:
    if conn.execute(_ADAPTER, {"channel": channel_id}).scalar() != "shopify":
        raise NotFound(f"channel '{channel_id}' has no Shopify integration")
