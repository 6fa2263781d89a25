"""`oms run`: database (embedded if needed), migrations, demo data if empty, then the API and the
background worker (a child process, see oms.worker_child)."""

import json
import os
import signal

import typer
import uvicorn

from oms.db.engine import database_url, make_engine
from oms.db.migrate import upgrade
from oms.settings import get_settings
from oms.worker_child import WorkerChild


def serve(host: str, port: int, workers: int, demo: bool, background: bool = True) -> None:
    settings = get_settings()
    url = database_url(settings)  # starts the embedded server; this process holds it until exit
    upgrade(url)
    engine = make_engine(url, pool_size=2)
    if demo:
        _seed_demo_if_empty(engine, settings.data_dir)
    engine.dispose()
    # Workers are separate processes: they reach the embedded server through its URL.
    os.environ["DATABASE_URL"] = url
    base = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    typer.echo(f"OMS API on {base}  (docs: {base}/docs)")
    _print_demo_keys(settings.data_dir)
    # uvicorn re-raises SIGTERM after its shutdown; as an exception it unwinds through atexit, so the
    # embedded PostgreSQL this process started is stopped instead of left running.
    signal.signal(signal.SIGTERM, _exit)
    worker = WorkerChild().start() if background else None
    try:
        uvicorn.run(
            "oms.api.app:create_app", factory=True, host=host, port=port, workers=workers,
            log_level="warning", access_log=False,
        )
    finally:
        if worker is not None:
            worker.stop()


def _exit(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _seed_demo_if_empty(engine, data_dir) -> None:
    from oms.services.demo.seed import seed_demo_if_empty

    report = seed_demo_if_empty(engine, data_dir)
    if report is not None:
        typer.echo(f"seeded demo data: {report.counts}")


def _print_demo_keys(data_dir) -> None:
    keys_file = data_dir / "demo-keys.json"
    if keys_file.exists():
        typer.echo("Demo API keys (header X-API-Key):")
        for role, key in json.loads(keys_file.read_text()).items():
            typer.echo(f"  {role:<11} {key}")
    if get_settings().admin_api_key:
        typer.echo("  admin key from OMS_ADMIN_API_KEY is active")
    from oms.services.demo.integrations import SECRETS_FILE

    secrets_file = data_dir / SECRETS_FILE
    if secrets_file.exists():
        for channel, secret in json.loads(secrets_file.read_text()).items():
            typer.echo(f"Shopify webhooks of channel {channel} (POST /api/v1/channels/{channel}/shopify/webhooks)"
                       f" are signed with: {secret}")  # fmt: skip
    from oms.services.demo.documents import FOLDER

    if (samples := data_dir / FOLDER).is_dir():
        typer.echo(f"Sample purchase orders to drop on the console's Entry page: {samples}/")
