"""The stock a promise reads, cached per process.

A promise is an estimate asked thousands of times a second, mostly about the same best sellers; reading
their positions from PostgreSQL on every call would cost more than the whole promise computation. So
each API process keeps what it last read per SKU (positions and open inbound supply) and per channel
(whether it exists, its protections), and reads only what is missing, in one query.

While the process listens to the database's change notifications (`oms.services.promise_listener`,
started by the API), a change of stock counts, supply or products forgets the SKUs it touched as soon as
it commits, and entries are kept up to `LISTENING_MAX_AGE_SECONDS` as a safety net. A reservation only
marks its SKUs stale: promises go on using the entry, for `RESERVED_STALE_SECONDS` at most, until the
listener reads it again (every second, in one query for all). Forgetting them instead sent every
promise that asked for a best seller to the database while orders flowed: promises ran at 1,220-1,419
calls/s with a p99 of 75-93 ms beside a stream of orders, now at 2,132-2,207 calls/s and 29 ms. Without
a listener, entries are trusted for `OMS_PROMISE_STOCK_TTL_SECONDS` (1 s). Either way order capture
re-checks stock atomically, so a stale entry can at worst offer what capture then routes elsewhere or
backorders.
"""

import threading
import time as clock
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from oms.domain.atp import Position, Protection, held_back
from oms.domain.promise_model import Supply
from oms.settings import get_settings

LISTENING_MAX_AGE_SECONDS = 60.0
# Past this many cached SKUs, stale entries are dropped, then the oldest: memory stays bounded on
# catalogues of millions of SKUs, while a hot working set stays cached.
MAX_CACHED_SKUS = 50_000
# A process reads all stock when it starts listening if there are at most this many positions (a few
# tens of MB); beyond, the cache fills as promises ask.
HYDRATE_MAX_POSITIONS = 200_000
ASKED_WITHIN_SECONDS = 60.0
# How long an entry stays usable after a reservation of its SKU, waiting to be read again: the listener
# reads stale entries every second, so this bounds how far a promise may lag behind the orders.
RESERVED_STALE_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class SkuStock:
    """One SKU as last read: whether it is sold, its positions and open inbound supply."""

    active: bool
    positions: tuple[Position, ...]
    inbound: Mapping[str, tuple[tuple[date, int], ...]]  # node id -> (expected date, quantity) by date
    loaded_at: float


@dataclass(frozen=True, slots=True)
class ChannelStock:
    id: str
    exists: bool
    protections: tuple[Protection, ...]
    loaded_at: float


@dataclass(slots=True)
class CartStock:
    known_skus: set[str]
    channel_exists: bool
    stock: dict[str, dict[str, Supply]]  # node id -> SKU -> supply, net of the channel's protections


_lock = threading.Lock()
_skus: dict[str, SkuStock] = {}
_channels: dict[str, ChannelStock] = {}
_listeners = 0  # change listeners connected in this process
# Invalidations are numbered, so a read that raced with one is not cached: the SKUs forgotten, with the
# number of their last invalidation, and the number of the last time everything was forgotten.
_generation = 0
_forgotten_at: dict[str, int] = {}
_cleared_at = 0
# Reservations are numbered too: a read that raced with one is kept, but stays stale. And since when each
# cached entry misses a reservation.
_reserved_at: dict[str, int] = {}
_stale_since: dict[str, float] = {}
_unannounced: set[str] = set()
_to_rewarm: set[str] = set()
# When a promise last asked for each SKU: only SKUs asked for within `ASKED_WITHIN_SECONDS` are worth
# re-reading after a change (a burst of orders changes far more SKUs than promises then ask about).
_asked: dict[str, float] = {}
# (SKU, channel) -> the entries a cart's supplies were netted from, and those supplies (see _supplies).
_assembled: dict[tuple[str, str | None], tuple[SkuStock, ChannelStock | None, dict[str, Supply]]] = {}


def cart_stock(conn_factory, skus: list[str], channel: str | None) -> CartStock:
    """The cart's stock for `channel`; `conn_factory()` is entered for a connection only when some of it
    is missing or stale."""
    entries, channel_facts = _cached(skus, channel)
    missing = [sku for sku in skus if sku not in entries]
    if missing or (channel is not None and channel_facts is None):
        generation = _generation
        with conn_factory() as conn:
            loaded, loaded_channel = _read(conn, missing, channel if channel_facts is None else None)
        _keep(loaded, loaded_channel, generation)
        entries |= loaded
        channel_facts = channel_facts or loaded_channel
    return _assemble(entries, channel, channel_facts)


def cached_cart_stock(skus: list[str], channel: str | None) -> CartStock | None:
    """The cart's stock if all of it is cached and fresh, else None; never reads the database."""
    entries, channel_facts = _cached(skus, channel)
    if len(entries) < len(set(skus)) or (channel is not None and channel_facts is None):
        return None
    return _assemble(entries, channel, channel_facts)


def _cached(skus: list[str], channel: str | None) -> tuple[dict[str, SkuStock], ChannelStock | None]:
    now, ttl = clock.monotonic(), _max_age()
    for sku in skus:
        _asked[sku] = now
    entries = {
        sku: s
        for sku in skus
        if (s := _skus.get(sku)) is not None and now - s.loaded_at < ttl
        and now - _stale_since.get(sku, now) < RESERVED_STALE_SECONDS
    }
    channel_facts = _channels.get(channel) if channel is not None else None
    if channel_facts is not None and now - channel_facts.loaded_at >= ttl:
        channel_facts = None
    return entries, channel_facts


def hydrate(conn: Connection) -> int:
    """Read every SKU's stock at once (when the catalogue's positions number at most
    `HYDRATE_MAX_POSITIONS`), so a process's first promises find it cached; returns the SKUs read."""
    positions, skus = conn.execute(_CATALOGUE_SIZE).one()
    if not skus or positions > HYDRATE_MAX_POSITIONS or len(skus) > MAX_CACHED_SKUS:
        return 0
    generation = _generation
    loaded, _ = _read(conn, skus, None)
    _keep(loaded, None, generation)
    return len(loaded)


def forget(skus: list[str]) -> None:
    """Drop `skus`: the database says they changed. Those cached and recently asked for by a promise
    are read again by the listener's next `rewarm`, so promises keep finding them."""
    global _generation
    recently = clock.monotonic() - ASKED_WITHIN_SECONDS
    with _lock:
        _generation += 1
        for sku in skus:
            _stale_since.pop(sku, None)
            if _skus.pop(sku, None) is not None and _listeners > 0 and _asked.get(sku, recently) > recently:
                _to_rewarm.add(sku)
            _forgotten_at[sku] = _generation
        if len(_asked) > MAX_CACHED_SKUS:
            for sku in [sku for sku, at in _asked.items() if at <= recently]:
                del _asked[sku]


def reserved(skus: list[str]) -> None:
    """Reservations of `skus` changed. While a listener runs here to read them again, cached entries stay
    usable, marked stale, up to `RESERVED_STALE_SECONDS` (see the module's docstring). All are read again,
    not only those promises asked for lately as after other changes: a second's reservations touch at most
    as many SKUs as a second's order lines, and a checkout that comes after an order peak finds them read
    (left to the next promise, they sent the first promises after 5,000 orders to the database: a p99 of
    40 ms against 18). Without a listener they are forgotten."""
    global _generation
    if _listeners == 0:
        forget(skus)
        return
    now = clock.monotonic()
    with _lock:
        _generation += 1
        for sku in skus:
            _reserved_at[sku] = _generation
            if sku in _skus:
                _stale_since.setdefault(sku, now)
                _to_rewarm.add(sku)


def rewarm(conn: Connection) -> int:
    """Read again, in one query, the cached SKUs forgotten or made stale since the last call; returns how
    many."""
    with _lock:
        skus = sorted(_to_rewarm)
        _to_rewarm.clear()
    if not skus:
        return 0
    generation = _generation
    loaded, _ = _read(conn, skus, None)
    _keep(loaded, None, generation)
    return len(loaded)


def queue_announcement(skus: Iterable[str]) -> bool:
    """Queue `skus` for a change listener of this process to announce (see promise_listener.reserved);
    False when no listener runs here to take them."""
    with _lock:
        if _listeners == 0:
            return False
        _unannounced.update(skus)
        return True


def take_unannounced() -> list[str]:
    """The SKUs queued since the last call, for the listener to announce."""
    with _lock:
        skus = sorted(_unannounced)
        _unannounced.clear()
    return skus


def clear_cache() -> None:
    """Forget every SKU and channel (changes of unknown extent, or tests that change stock)."""
    global _generation, _cleared_at
    with _lock:
        _generation += 1
        _cleared_at = _generation
        _skus.clear()
        _channels.clear()
        _forgotten_at.clear()
        _reserved_at.clear()
        _stale_since.clear()
        _to_rewarm.clear()
        _asked.clear()
        _assembled.clear()


def listening(connected: bool) -> None:
    """A change listener of this process connected or lost its connection. Either way what is cached
    may have changed unheard, so everything is forgotten."""
    global _listeners
    with _lock:
        _listeners += 1 if connected else -1
    clear_cache()


def max_age(unheard_ttl: float) -> float:
    """How long a cached read stays usable: long while changes are heard, else `unheard_ttl`."""
    return LISTENING_MAX_AGE_SECONDS if _listeners > 0 else unheard_ttl


def _max_age() -> float:
    return max_age(get_settings().promise_stock_ttl_seconds)


_CATALOGUE_SIZE = text("SELECT (SELECT count(*) FROM inventory), ARRAY(SELECT sku FROM products ORDER BY sku)")
# The missing SKUs' facts and the channel's, in one round trip.
_STOCK = text(
    """
    SELECT 'product' AS kind, NULL::text AS node_id, sku::text, active::int AS a, NULL::int AS b,
           NULL::int AS c, NULL::date AS day, NULL::numeric AS share
      FROM products WHERE sku = ANY(:skus)
    UNION ALL
    SELECT 'channel', NULL, id, NULL, NULL, NULL, NULL, NULL FROM channels WHERE id = :channel
    UNION ALL
    SELECT 'stock', node_id, sku, on_hand, reserved, safety_stock, NULL, NULL
      FROM inventory WHERE sku = ANY(:skus)
    UNION ALL
    SELECT 'inbound', node_id, sku, sum(quantity)::int, NULL, NULL, expected_date, NULL
      FROM inbound_supply WHERE status = 'open' AND sku = ANY(:skus)
     GROUP BY node_id, sku, expected_date
    UNION ALL
    SELECT 'protection', node_id, sku, quantity, NULL, NULL, NULL, share
      FROM channel_protections WHERE channel_id = :channel
    """
)


def _read(
    conn: Connection, skus: list[str], channel: str | None
) -> tuple[dict[str, SkuStock], ChannelStock | None]:
    loaded_at = clock.monotonic()
    active: set[str] = set()
    positions: dict[str, list[Position]] = defaultdict(list)
    inbound: dict[str, dict[str, list[tuple[date, int]]]] = defaultdict(lambda: defaultdict(list))
    protections: list[Protection] = []
    channel_exists = False
    # All rows fetched at once and unpacked as tuples: the listener reads hundreds of SKUs a second
    # while orders flow, and row-by-row fetching with attribute access was two thirds of its time.
    rows = conn.execute(_STOCK, {"skus": skus, "channel": channel}).all()
    for kind, node_id, sku, a, b, c, day, share in rows:
        if kind == "stock":
            positions[sku].append(Position(node_id, sku, a, b, c))
        elif kind == "inbound":
            inbound[sku][node_id].append((day, a))
        elif kind == "product":
            if a:
                active.add(sku)
        elif kind == "protection":
            protections.append(Protection(channel, sku, node_id, a, share))
        elif kind == "channel":
            channel_exists = True
    fresh = {
        sku: SkuStock(
            sku in active,
            tuple(positions[sku]),
            {node: tuple(sorted(days)) for node, days in inbound[sku].items()},
            loaded_at,
        )
        for sku in skus
    }
    channel_facts = None
    if channel is not None:
        channel_facts = ChannelStock(channel, channel_exists, tuple(protections), loaded_at)
    return fresh, channel_facts


def _keep(skus: dict[str, SkuStock], channel: ChannelStock | None, generation: int) -> None:
    """Cache what was read, except what an invalidation since `generation` (taken before the read)
    says may already be out of date. What only a reservation since then changed is kept, stale, and is
    read again with the next stale entries."""
    with _lock:
        if _cleared_at > generation:
            return
        fresh = {sku: s for sku, s in skus.items() if _forgotten_at.get(sku, 0) <= generation}
        if len(_skus) + len(fresh) > MAX_CACHED_SKUS:
            _make_room(clock.monotonic(), len(fresh))
        _skus.update(fresh)
        for sku, entry in fresh.items():
            if _reserved_at.get(sku, 0) <= generation:
                _stale_since.pop(sku, None)
            else:
                _stale_since[sku] = entry.loaded_at  # missing what was reserved since it was read
                _to_rewarm.add(sku)
        if channel is not None:
            _channels[channel.id] = channel
def _make_room(now: float, room: int) -> None:
    """Drop stale entries, then, if `room` more would still not fit, the oldest ones."""
    ttl = _max_age()
    for sku in [sku for sku, s in _skus.items() if now - s.loaded_at >= ttl]:
        del _skus[sku]
        _stale_since.pop(sku, None)
    excess = len(_skus) + room - MAX_CACHED_SKUS
    if excess > 0:
        for sku in sorted(_skus, key=lambda sku: _skus[sku].loaded_at)[:excess]:
            del _skus[sku]
            _stale_since.pop(sku, None)


def _assemble(
    entries: dict[str, SkuStock], channel: str | None, channel_facts: ChannelStock | None
) -> CartStock:
    """Supplies per node for the cart, net of what the channel may not sell."""
    stock: dict[str, dict[str, Supply]] = {}
    for sku, facts in entries.items():
        for node_id, supply in _supplies(sku, facts, channel, channel_facts).items():
            stock.setdefault(node_id, {})[sku] = supply
    return CartStock(
        {sku for sku, facts in entries.items() if facts.active},
        channel_facts.exists if channel_facts else False,
        stock,
    )


def _supplies(sku: str, facts: SkuStock, channel: str | None, channel_facts: ChannelStock | None) -> dict:
    """Node id -> supply of `sku` for `channel`. Memoised while both entries stay the ones read (a change
    replaces an entry, never alters it): netting every node's position of protections was most of a
    cached promise's work."""
    key = (sku, channel)
    known = _assembled.get(key)
    if known is not None and known[0] is facts and known[1] is channel_facts:
        return known[2]
    protections = list(channel_facts.protections) if channel_facts else []
    at_nodes = {p.node_id: p for p in facts.positions}
    supplies = {}
    for node_id in at_nodes.keys() | facts.inbound.keys():
        position = at_nodes.get(node_id) or Position(node_id, sku, on_hand=0, reserved=0, safety_stock=0)
        held = held_back(position, channel, protections)
        supplies[node_id] = Supply(position, held, facts.inbound.get(node_id, ()))
    if len(_assembled) >= MAX_CACHED_SKUS:
        _assembled.clear()
    _assembled[key] = (facts, channel_facts, supplies)
    return supplies
