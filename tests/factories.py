"""Small, explicit test data: a two-country network, a few products, stock, channels and API keys."""

from datetime import time

from sqlalchemy import Engine, insert

from oms.db.tables import channels, inventory, nodes, products
from oms.services import promise_data, promise_stock, routing_config
from oms.services.actor import Actor, Role
from oms.services.api_keys import ensure_api_key

ADMIN = Actor(name="test-admin", role=Role.ADMIN)
OPS = Actor(name="test-ops", role=Role.OPS)
VIEWER = Actor(name="test-viewer", role=Role.VIEWER)

CHANNELS = [
    {"id": "web", "name": "Web shop", "type": "web"},
    {"id": "marketplace", "name": "Marketplace", "type": "marketplace"},
    {"id": "b2b", "name": "B2B", "type": "b2b"},
]

NODES = [
    # id, type, city, postal, country, lat, lon, tz, priority, types
    ("WH-LYON", "warehouse", "Lyon", "69007", "FR", 45.7485, 4.8467, "Europe/Paris", 10, ["ship"]),
    ("WH-KOELN", "warehouse", "Köln", "50667", "DE", 50.9375, 6.9603, "Europe/Berlin", 20, ["ship"]),
    ("ST-PARIS", "store", "Paris", "75001", "FR", 48.8606, 2.3376, "Europe/Paris", 50,
     ["ship_from_store", "pickup"]),
]

PRODUCTS = [
    ("TSH-BLU-L", "T-shirt blue L", 19.90, "3700000000013", 0.2),
    ("TSH-BLU-M", "T-shirt blue M", 19.90, "3700000000020", 0.2),
    ("JKT-RED-M", "Rain jacket red M", 89.00, "3700000000037", 0.8),
]


def add_network(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(insert(channels), CHANNELS)
        conn.execute(
            insert(nodes),
            [
                {
                    "id": n[0], "name": n[0], "type": n[1], "line1": "1 rue de test", "city": n[2],
                    "postal_code": n[3], "country": n[4], "lat": n[5], "lon": n[6], "timezone": n[7],
                    "processing_days": 1, "cutoff_time": time(14, 0), "daily_capacity": 500,
                    "priority": n[8], "fulfilment_types": n[9],
                }
                for n in NODES
            ],
        )
        conn.execute(
            insert(products),
            [
                {"sku": p[0], "name": p[1], "description": p[1], "unit_price": p[2], "currency": "EUR",
                 "barcode": p[3], "weight_kg": p[4]}
                for p in PRODUCTS
            ],
        )


def set_stock(engine: Engine, node_id: str, sku: str, on_hand: int, reserved: int = 0, safety: int = 0) -> None:
    from sqlalchemy.dialects.postgresql import insert as pg_insert

    stmt = pg_insert(inventory).values(
        node_id=node_id, sku=sku, on_hand=on_hand, reserved=reserved, safety_stock=safety
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["node_id", "sku"],
        set_={"on_hand": on_hand, "reserved": reserved, "safety_stock": safety},
    )
    with engine.begin() as conn:
        conn.execute(stmt)


def api_key(engine: Engine, role: Role, channel_id: str | None = None) -> dict[str, str]:
    """Headers carrying a fresh key of `role`."""
    key = f"test-{role.value}-{channel_id or 'all'}"
    ensure_api_key(engine, key, role, key)
    if channel_id:
        with engine.begin() as conn:
            from sqlalchemy import update

            from oms.db.tables import api_keys
            from oms.services.api_keys import hash_key

            conn.execute(update(api_keys).where(api_keys.c.key_hash == hash_key(key)).values(channel_id=channel_id))
    return {"X-API-Key": key}


def order_body(external_id: str = "WEB-1", lines=None, **overrides) -> dict:
    """A valid order capture body; `lines` as [(sku, quantity)]."""
    body = {
        "channel": "web",
        "external_id": external_id,
        "customer": {"name": "Camille Martin", "email": "camille.martin@example.fr"},
        "ship_to": {"name": "Camille Martin", "line1": "12 rue Oberkampf", "postal_code": "75011",
                    "city": "Paris", "country": "FR"},
        "service_level": "standard",
        "lines": [{"sku": sku, "quantity": qty, "unit_price": 19.9} for sku, qty in (lines or [("TSH-BLU-L", 1)])],
    }
    body.update(overrides)
    return body


def forget_cached_reads() -> None:
    """Node facts, transit rules, promise stock and routing settings are cached per process; each test has
    its own data."""
    promise_data.clear_cache()
    routing_config.clear_cache()
    promise_stock.clear_cache()
