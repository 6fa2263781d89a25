"""Demo API keys, one per role (the channel key acts for the web shop, the wms key for the Lyon
warehouse), random and stored hashed. The clear keys are written once to `<data_dir>/demo-keys.json`,
readable by the owner only."""

import json
import os
import secrets
from pathlib import Path

from sqlalchemy import Connection, insert

from oms.db.tables import api_keys
from oms.services.actor import Role
from oms.services.api_keys import hash_key

DEMO_KEYS = ((Role.ADMIN, None), (Role.OPS, None), (Role.BACKOFFICE, None), (Role.MANAGER, None),
             (Role.CHANNEL, "web"), (Role.VIEWER, None), (Role.WMS, None), (Role.CARRIER, None))
WMS_NODE = "WH-LYON"  # the node the demo wms key reports for
KEYS_FILE = "demo-keys.json"


def create_demo_keys(conn: Connection) -> dict[str, str]:
    """{role: clear key}."""
    keys, rows = {}, []
    for role, channel in DEMO_KEYS:
        keys[role.value] = key = f"oms_demo_{role.value}_{secrets.token_urlsafe(18)}"
        node = WMS_NODE if role == Role.WMS else None
        name = f"demo-{role.value}" + (f"-{channel}" if channel else "") + (f"-{node}" if node else "")
        rows.append({"name": name, "key_hash": hash_key(key), "role": role.value, "channel_id": channel,
                     "node_id": node})
    conn.execute(insert(api_keys), rows)
    return keys


def write_keys_file(data_dir: Path, keys: dict[str, str], name: str = KEYS_FILE) -> Path:
    """Secrets as JSON in `data_dir`/`name`, readable by the owner only."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when an older file had wider permissions
    with os.fdopen(fd, "w") as f:
        json.dump(keys, f, indent=2)
    return path
