"""Seeding an empty database with the demo retailer, in one transaction, with COPY."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.dialects.postgresql import insert as pg_insert

from oms.db.tables import channels, customers, products
from oms.services.actor import SYSTEM
from oms.services.delay_risk import score_open_shipments
from oms.services.delay_risk_training import NotEnoughHistory, train_from_database
from oms.services.demo.bulk import copy_rows, sync_identity
from oms.services.demo.documents import write_sample_documents
from oms.services.demo.integrations import SECRETS_FILE, create_demo_integrations
from oms.services.demo.keys import create_demo_keys, write_keys_file
from oms.services.demo.rates import store_demo_rates
from oms.services.demo.simulation import simulate
from oms.services.errors import Conflict
from oms.services.order_entry_embeddings import refresh_embeddings
from oms.services.uow import UnitOfWork

DEFAULT_DAYS = 365  # a full year, so the history holds every retail peak once
SEED = 42
_EXPLICIT_IDS = ("customers", "orders", "order_lines", "shipments", "fulfilment_orders", "fulfilment_order_lines",
                 "shipment_lines")
_MUST_BE_EMPTY = ("products", "nodes", "customers", "orders")


class DemoDataExists(Conflict):
    """The database already holds data the demo would collide with."""


@dataclass(frozen=True)
class SeedReport:
    counts: dict[str, int]
    keys: dict[str, str]  # role -> clear API key
    keys_file: Path
    documents: list[Path]  # sample purchase orders for order entry
    days: int
    seconds: float


def seed_demo(engine: Engine, data_dir: Path, days: int = DEFAULT_DAYS,
              now: datetime | None = None) -> SeedReport:
    """Fill an empty database with the demo retailer and `days` of history ending at `now`, its channels'
    adapters, and write one API key per role to `data_dir`/demo-keys.json (and the Shopify channel's
    webhook secret to demo-channel-secrets.json); raises DemoDataExists if the database already
    has products, nodes, customers or orders."""
    started = time.perf_counter()
    now = now or datetime.now(UTC)
    with UnitOfWork(engine) as uow:
        # Two processes starting at once (`oms run` workers) must not both seed.
        uow.conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('oms.demo.seed'))"))
        _refuse_unless_empty(uow.conn)
        with _embedding_indexes_rebuilt(uow.conn):
            counts = _load(uow.conn, simulate(days, now, SEED))
            refresh_embeddings(uow.conn, limit=None)  # documents' lines and buyers are matched by them
        counts["audit_events"] = uow.conn.execute(_HISTORY_EVENTS).rowcount
        keys = create_demo_keys(uow.conn)
        counts["api_keys"] = len(keys)
        channel_secrets = create_demo_integrations(uow.conn)
        store_demo_rates(uow)  # routing chooses among the carriers the history shipped with
        uow.record(SYSTEM, "demo.seeded", "demo", "demo", after={"days": days, "seed": SEED, "rows": counts})
        uow.commit()
    with UnitOfWork(engine).autocommit() as uow:
        # Planner statistics now, not when autovacuum gets round to it: until then every query on the
        # freshly loaded tables is planned as if they were empty (minutes for a join the stats make ms).
        uow.conn.execute(text("ANALYZE"))
        documents = write_sample_documents(uow.conn, data_dir, now.date())
    counts |= _train_delay_model(engine, now)
    keys_file = write_keys_file(data_dir, keys)
    write_keys_file(data_dir, channel_secrets, SECRETS_FILE)
    return SeedReport(counts, keys, keys_file, documents, days, round(time.perf_counter() - started, 2))


def _train_delay_model(engine: Engine, now: datetime) -> dict[str, int]:
    """The delay model trained on the history just loaded and the open parcels scored, so the manager page
    shows delay risk from the start; a history too short to learn from leaves it to `oms ml train-delay`."""
    try:
        train_from_database(UnitOfWork(engine), SYSTEM, now=now)
    except NotEnoughHistory:
        return {}
    return {"ml_models": 1, "shipment_risks": len(score_open_shipments(UnitOfWork(engine), SYSTEM, now=now))}


def seed_demo_if_empty(engine: Engine, data_dir: Path, days: int = DEFAULT_DAYS) -> SeedReport | None:
    """Seed when the database is empty; None (and nothing written) when it already has data."""
    try:
        return seed_demo(engine, data_dir, days)
    except DemoDataExists:
        return None


# The audit trail of the history, derived from what it left: each order captured by its channel, each
# fulfilment order released to its node, each parcel shipped and delivered. Compact facts, not whole
# orders: seeding stays fast.
_HISTORY_EVENTS = text(
    """
    INSERT INTO audit_events (entity_type, entity_id, order_id, action, actor, actor_role, after, created_at)
    SELECT 'order', o.id::text, o.id, 'order.created', 'channel:' || o.channel_id, 'channel',
           jsonb_build_object('external_id', o.external_id, 'service_level', o.service_level,
                              'total_amount', o.total_amount, 'currency', o.currency), o.created_at
    FROM orders o
    UNION ALL
    SELECT 'fulfilment_order', f.id::text, f.order_id, 'fulfilment.released', 'system', 'admin',
           jsonb_build_object('node_id', f.node_id, 'ship_by', f.ship_by, 'deliver_by', f.deliver_by), f.created_at
    FROM fulfilment_orders f
    UNION ALL
    SELECT 'shipment', s.id::text, s.order_id, e.action, 'wms:' || s.node_id, 'system',
           jsonb_build_object('node_id', s.node_id, 'carrier', s.carrier, 'tracking_number', s.tracking_number,
                              'units', s.units), e.at
    FROM shipments s
    CROSS JOIN LATERAL (VALUES ('shipment.shipped', s.shipped_at), ('shipment.delivered', s.delivered_at))
      AS e(action, at)
    WHERE e.at IS NOT NULL
    """
)


@contextmanager
def _embedding_indexes_rebuilt(conn: Connection) -> Iterator[None]:
    """Vectors written into an HNSW index one by one cost 4 times as much as building the index over them
    (6,000 customers: 30 s against 7 on a loaded machine), so the indexes are dropped for the load."""
    indexes = [index for table in (customers, products) for index in table.indexes
               if index.dialect_options["postgresql"]["using"] == "hnsw"]  # fmt: skip
    for index in indexes:
        index.drop(conn)
    yield
    for index in indexes:
        index.create(conn)


def _refuse_unless_empty(conn: Connection) -> None:
    present = [t for t in _MUST_BE_EMPTY if conn.execute(text(f"SELECT EXISTS (SELECT FROM {t})")).scalar()]
    if present:
        raise DemoDataExists(
            f"the database already has {', '.join(present)}: demo data is only seeded into an empty database"
        )


def _load(conn: Connection, tables) -> dict[str, int]:
    counts = {}
    for table, (columns, rows) in tables.items():
        if table == "channels":  # channels may have been set up by hand; keep them
            values = [dict(zip(columns, r)) for r in rows]
            insert = pg_insert(channels).values(values).on_conflict_do_nothing().returning(channels.c.id)
            counts[table] = len(conn.execute(insert).all())
        else:
            counts[table] = copy_rows(conn, table, columns, rows)
    for table in _EXPLICIT_IDS:
        sync_identity(conn, table)
    return counts
