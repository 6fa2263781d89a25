"""The `oms` command line. Commands that need a database start the embedded one themselves."""

from pathlib import Path
from typing import Annotated

import typer

from oms.cli_anomalies import anomalies_app
from oms.cli_edi import edi_app
from oms.cli_entry import entry_app
from oms.cli_ml import ml_app
from oms.cli_orders_import import orders_app
from oms.cli_routing import routing_app
from oms.cli_shipments import shipments_app
from oms.cli_sla import sla_app
from oms.cli_users import users_app
from oms.cli_webhooks import webhooks_app
from oms.services.actor import Actor, Role

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Order management system.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(db_app, name="db")
CLI_ACTOR = Actor(name="cli", role=Role.ADMIN)  # whoever runs the CLI has the database already


def _migrated_engine():
    from oms.db.engine import database_url, get_engine
    from oms.db.migrate import upgrade

    upgrade(database_url())
    return get_engine()


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply Alembic migrations up to REVISION."""
    from oms.db.engine import database_url
    from oms.db.migrate import upgrade

    upgrade(database_url(), revision)
    typer.echo(f"database at {revision}")


@app.command("run")
def run(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on"),
    port: int = typer.Option(8000),
    workers: int = typer.Option(2, min=1, help="API worker processes (2 measured best on 2 cores)"),
    demo: bool = typer.Option(True, help="Seed demo data into an empty database"),
    background: bool = typer.Option(True, "--worker/--no-worker", help="Start the background worker too"),
) -> None:
    """Run the system: database (embedded without DATABASE_URL), migrations, demo data, API and docs,
    and the background worker (webhook delivery and other periodic jobs)."""
    from oms.serve import serve

    serve(host, port, workers, demo, background)


@app.command("worker")
def worker(
    parent_pid: int | None = typer.Option(None, hidden=True, help="Exit when this process is gone"),
    niceness: int = typer.Option(0, min=0, max=19, help="Run the jobs at this lower CPU priority (as nice), so "
                                 "that an API on the same machine comes first under load"),
) -> None:
    """Run the background jobs (webhook delivery and the others in oms.worker.JOBS) until SIGTERM or
    Ctrl-C. Several workers may run at once."""
    import logging
    import os

    os.nice(niceness)  # before the job threads start: they inherit it

    from oms.worker import run_worker, stop_on_signals

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # the schema check at start says nothing
    stop = stop_on_signals()
    run_worker(_migrated_engine(), stop, parent_pid=parent_pid)


# --- Reference data: CSV imports and API keys ----------------------------------------------------------

catalog_app = typer.Typer(no_args_is_help=True, help="Products.")
nodes_app = typer.Typer(no_args_is_help=True, help="Fulfilment nodes: warehouses, 3PLs, stores, drop-ship.")
inventory_app = typer.Typer(no_args_is_help=True, help="Stock positions per node and SKU.")
api_key_app = typer.Typer(no_args_is_help=True, help="API keys.")
app.add_typer(catalog_app, name="catalog")
app.add_typer(nodes_app, name="nodes")
app.add_typer(inventory_app, name="inventory")
app.add_typer(api_key_app, name="api-key")

SKIP_INVALID = typer.Option(False, "--skip-invalid", help="Import the valid rows even if others are bad")


@catalog_app.command("import")
def catalog_import(file: Path, skip_invalid: bool = SKIP_INVALID) -> None:
    """Create or update products from FILE.csv:
    sku,name,unit_price,currency[,description,barcode,weight_kg,active]."""
    _import_csv("catalog", file, skip_invalid)


@nodes_app.command("import")
def nodes_import(file: Path, skip_invalid: bool = SKIP_INVALID) -> None:
    """Create or update nodes from FILE.csv: id,name,type,line1,postal_code,city,country,lat,lon,timezone
    [,processing_days,cutoff_time,daily_capacity,priority,fulfilment_types (as ship|pickup),active]."""
    _import_csv("nodes", file, skip_invalid)


@nodes_app.command("outage")
def nodes_outage(
    node_id: str,
    note: str = typer.Option("", help="What happened, kept with the node's and each order's audit event"),
    end: bool = typer.Option(False, "--end", help="The outage is over: the node fulfils again"),
) -> None:
    """Take NODE_ID out of fulfilment and reroute every unreleased order allocated there (or, with --end,
    put it back). Exits 1 when some orders could not be rerouted."""
    from oms.services.errors import NotFound
    from oms.services.node_outage import OutageCommand, declare_outage, end_outage
    from oms.services.uow import UnitOfWork

    if not (end or note.strip()):
        raise typer.BadParameter("say what happened", param_hint="--note")
    uow = UnitOfWork(_migrated_engine())
    try:
        if end:
            typer.echo(f"{end_outage(uow, CLI_ACTOR, node_id).id} fulfils again")
            return
        report = declare_outage(uow, CLI_ACTOR, node_id, OutageCommand(note=note))
    except NotFound as error:
        raise typer.BadParameter(error.detail, param_hint="NODE_ID") from None
    typer.echo(f"{node_id} is out: {len(report.rerouted)} order(s) rerouted, {len(report.backordered)} with"
               f" units backordered, {len(report.failed)} failed")  # fmt: skip
    for failure in report.failed:
        typer.echo(f"  order {failure.order_id}: {failure.reason}", err=True)
    if report.failed:
        raise typer.Exit(1)


@inventory_app.command("import")
def inventory_import(file: Path, skip_invalid: bool = SKIP_INVALID) -> None:
    """Set stock positions from FILE.csv: node_id,sku,on_hand,safety_stock (reserved units are kept)."""
    _import_csv("inventory", file, skip_invalid)


def _import_csv(kind: str, file: Path, skip_invalid: bool) -> None:
    """Exit 0 when every row went in, 1 when rows were rejected, 2 when the file cannot be read."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from oms.services import imports
    from oms.services.uow import UnitOfWork

    console = Console()
    try:
        rows = imports.read_csv(file, kind)
    except imports.ImportFileError as e:
        console.print(f"[red]error:[/red] {e}", soft_wrap=True)  # a path cut in two cannot be copied
        raise typer.Exit(2) from None
    if rows.ignored_columns:
        console.print(f"[yellow]ignored unknown column(s):[/yellow] {', '.join(rows.ignored_columns)}")
    with Progress(console=console) as bar:
        task = bar.add_task(f"{kind} {file.name}", total=len(rows.rows))
        uow = UnitOfWork(_migrated_engine())
        report = imports.import_rows(uow, CLI_ACTOR, kind, rows, skip_invalid, lambda n: bar.advance(task, n))
    if report.errors:
        rejected = len({e.row for e in report.errors})
        table = Table("row", "column", "message", title=f"{rejected} row(s) rejected")
        for e in report.errors:
            table.add_row(str(e.row), e.column, e.message)
        console.print(table)
    console.print(f"{report.imported} of {report.rows} row(s) imported, {report.changed} created or changed")
    if report.errors:
        if not skip_invalid:
            console.print("nothing was imported; fix the rows above, or pass --skip-invalid")
        raise typer.Exit(1)


@api_key_app.command("create")
def api_key_create(
    role: Annotated[Role, typer.Option(help="What the key may do")],
    name: Annotated[str, typer.Option(help="Who or what uses the key")],
    channel: str | None = typer.Option(None, help="The channel a channel-role key captures for"),
    node: str | None = typer.Option(None, help="The node a wms-role key reports for"),
) -> None:
    """Create an API key and print it: it is shown this once and stored only as a hash."""
    from sqlalchemy.exc import IntegrityError

    from oms.services.api_keys import create_api_key
    from oms.services.uow import UnitOfWork

    if (role == Role.CHANNEL) != (channel is not None):
        raise typer.BadParameter("goes with --role channel, and only with it", param_hint="--channel")
    if (role == Role.WMS) != (node is not None):
        raise typer.BadParameter("goes with --role wms, and only with it", param_hint="--node")
    try:
        key = create_api_key(UnitOfWork(_migrated_engine()), CLI_ACTOR, name, role, channel, node_id=node)
    except IntegrityError:
        hint = "--channel" if channel else "--node"
        raise typer.BadParameter(f"unknown {hint[2:]} '{channel or node}'", param_hint=hint) from None
    typer.echo(key)


# --- Demo data -----------------------------------------------------------------------------------------

seed_app = typer.Typer(no_args_is_help=True, help="Demo data.")
app.add_typer(seed_app, name="seed")


@seed_app.command("demo")
def seed_demo_command(
    if_empty: bool = typer.Option(False, "--if-empty", help="Exit quietly with 0 when the database has data"),
    days: int | None = typer.Option(None, min=1, help="Days of order history up to now  [default: a year]"),
) -> None:
    """Seed an empty database with a demo retailer: network, catalogue, stock, customers, order history,
    and one API key per role. Exits 1 when the database already has data."""
    from oms.services.demo import DEFAULT_DAYS, DemoDataExists, seed_demo
    from oms.settings import get_settings

    try:
        report = seed_demo(_migrated_engine(), get_settings().data_dir, days or DEFAULT_DAYS)
    except DemoDataExists as e:
        if if_empty:
            raise typer.Exit(0) from None
        typer.echo(f"not seeded: {e.detail}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"seeded {report.days} days of demo data in {report.seconds:.1f} s:")
    for table, count in report.counts.items():
        typer.echo(f"  {table:<20} {count:>8}")
    typer.echo(f"demo API keys (header X-API-Key), also in {report.keys_file}:")
    for role, key in report.keys.items():
        typer.echo(f"  {role:<11} {key}")
    for document in report.documents:
        typer.echo(f"sample purchase order for order entry: {document}")


app.add_typer(routing_app, name="routing")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(sla_app, name="sla")
app.add_typer(users_app, name="users")
app.add_typer(orders_app, name="orders")
app.add_typer(edi_app, name="edi")
app.add_typer(entry_app, name="entry")
app.add_typer(anomalies_app, name="anomalies")
app.add_typer(ml_app, name="ml")
app.add_typer(shipments_app, name="shipments")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
