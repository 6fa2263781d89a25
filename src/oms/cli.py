"""The `oms` command line. Commands that need a database start the embedded one themselves."""

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Order management system.")
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
app.add_typer(db_app, name="db")


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
    workers: int = typer.Option(2, min=1, help="API worker processes"),
    demo: bool = typer.Option(True, help="Seed demo data into an empty database"),
) -> None:
    """Run the system: database (embedded without DATABASE_URL), migrations, demo data, API and docs."""
    from oms.serve import serve

    serve(host, port, workers, demo)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
