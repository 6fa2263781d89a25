"""`oms shipments ...`: what carriers billed for shipments (their invoices)."""

from pathlib import Path

import typer

shipments_app = typer.Typer(no_args_is_help=True, help="Shipments: carriers' charges.")


@shipments_app.command("import-charges")
def import_charges_command(
    file: Path,
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Record the good rows even if others are bad"
    ),
) -> None:
    """Set what carriers billed from FILE.csv: tracking_number,charged_cost[,carrier,currency] (a parcel's
    number counts for its shipment). Exit 1 when rows were rejected (nothing recorded without
    --skip-invalid), 2 when the file cannot be read."""
    from oms.cli import _import_csv

    _import_csv("charges", file, skip_invalid)
