"""The embedded PostgreSQL (with pgvector) used when no DATABASE_URL is configured.

pgserver keeps one server per data folder and counts the processes holding it: the first caller starts
it, later callers (another CLI command, the API) reuse it, and it stops cleanly when the last one exits.
"""

import fcntl
import json
import logging
import os
import warnings
from pathlib import Path

logging.getLogger("pgserver").setLevel(logging.WARNING)
# pgserver keeps its lock file in the user runtime dir; /tmp is a fine fallback, no need to warn.
warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")

# Settings the embedded server gets on first start: room for several API workers and test processes.
_SERVER_SETTINGS = {
    "max_connections": "300",
    "shared_buffers": "256MB",
    "work_mem": "16MB",
    "max_wal_size": "2GB",
}


def embedded_database_url(data_dir: Path) -> str:
    """Start (or attach to) the embedded server in `data_dir`/pgdata and return a SQLAlchemy URL."""
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = (data_dir / "pgdata").resolve()
    # Several processes may start at once (test workers, CLI beside `oms run`): one creates and
    # configures the server while the others wait, then attach to it.
    with open(data_dir / "embedded.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        pgdata.mkdir(exist_ok=True)
        _forget_dead_holders(pgdata)
        fresh = not (pgdata / "PG_VERSION").exists()
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
        if fresh:
            _configure(server)
    uri = server.get_uri()  # postgresql://postgres:@/postgres?host=<socket dir>
    return uri.replace("postgresql://", "postgresql+psycopg://", 1)


def _forget_dead_holders(pgdata: Path) -> None:
    """pgserver stops the server when the last process holding it exits, counting holders in a file.
    A holder killed before its exit hook ran (kill -9, a crash) would keep the server up for good."""
    from pgserver.postgres_server import PostgresServer

    holders = pgdata / ".handle_pids.json"
    with PostgresServer._lock:  # the lock pgserver itself takes around that file
        if holders.exists():
            pids = json.loads(holders.read_text() or "[]")
            alive = [pid for pid in pids if _is_running(pid)]
            if alive != pids:
                holders.write_text(json.dumps(alive))


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True


def _configure(server) -> None:
    settings = "".join(f"ALTER SYSTEM SET {k} = '{v}';" for k, v in _SERVER_SETTINGS.items())
    server.psql(settings)
    # max_connections and shared_buffers need a restart; pg_ctl restart keeps the same options (socket
    # dir), and pgserver must learn the new postmaster pid to stop the right process at exit.
    from pgserver._commands import pg_ctl
    from pgserver.utils import PostmasterInfo

    pg_ctl(["-w", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=30)
    server._postmaster_info = PostmasterInfo.read_from_pgdata(server.pgdata)
