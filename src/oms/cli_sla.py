"""`oms sla ...`: run the SLA check by hand (the worker runs it every minute)."""

from datetime import datetime
from typing import Annotated

import typer

sla_app = typer.Typer(no_args_is_help=True, help="SLA alerts.")


@sla_app.command("check")
def sla_check_command(
    now: Annotated[
        datetime | None, typer.Option(help="Check as of this time (ISO 8601, with a zone)")
    ] = None,
) -> None:
    """Raise alerts for fulfilment orders and parcels at risk or late; resolve those that cleared."""
    from oms.cli import _migrated_engine
    from oms.services.sla_check import check_sla

    if now is not None and now.tzinfo is None:
        raise typer.BadParameter("give a time zone, e.g. 2026-03-10T09:00:00+01:00", param_hint="--now")
    changed = check_sla(_migrated_engine(), now)
    typer.echo(f"{changed} alert(s) raised or resolved")
