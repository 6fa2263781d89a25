"""`oms orders import FILE --channel b2b`: a B2B file of order lines (CSV or XLSX) becomes orders."""

import csv
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from oms.channels.bulk.columns import FILE_FORMAT

orders_app = typer.Typer(no_args_is_help=True, help="Orders.")
SHOWN_ERRORS = 50  # beyond, the terminal says how many more, and --report has them all


@orders_app.command(
    "import",
    help=f"Import the orders of FILE (CSV or XLSX). {FILE_FORMAT} Every row is checked before anything is"
    " written. Exits 0 when every order went in, 1 when rows were rejected, 2 when the file cannot be read.",
)
def orders_import(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8, comma or semicolon) or XLSX")],
    channel: Annotated[str, typer.Option(help="The channel the orders come from")],
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Import the valid orders even if others are bad")
    ] = False,
    sheet: Annotated[str | None, typer.Option(help="XLSX: the sheet to read  [default: the first shown]")] = None,
    report_file: Annotated[Path | None, typer.Option("--report", help="Write the errors to this CSV")] = None,
    workers: Annotated[int, typer.Option(min=1, max=16, help="Orders captured at once")] = 4,
) -> None:  # fmt: skip
    from rich.console import Console

    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.errors import ContentTooLarge, ValidationFailed
    from oms.services.order_imports import import_orders
    from oms.services.order_imports_models import (
        ImportInterrupted,
        ImportRefused,
        OrderImportCommand,
    )
    from oms.services.uow import UnitOfWork

    console = Console()
    try:
        content = file.read_bytes()
    except OSError as error:
        console.print(f"[red]error:[/red] {file}: {error.strerror}", soft_wrap=True)
        raise typer.Exit(2) from None
    cmd = OrderImportCommand(channel=channel, skip_invalid=skip_invalid, sheet=sheet)
    uow = UnitOfWork(_migrated_engine())
    stopped = None
    try:
        with _progress_bar(console, file.name) as progress:
            report = import_orders(uow, CLI_ACTOR, cmd, content, progress, workers)
    except ImportRefused as refused:
        report = refused.report
    except ImportInterrupted as interrupted:
        report, stopped = interrupted.report, interrupted.detail
    except (ContentTooLarge, ValidationFailed) as error:
        console.print(f"[red]error:[/red] {file}: {error.detail}", soft_wrap=True)
        raise typer.Exit(2) from None
    _print_report(console, report, skip_invalid)
    if stopped:
        console.print(f"[red]import stopped:[/red] {stopped}")
    if report_file is not None:
        _write_errors(report_file, report.errors)
    if report.errors:
        raise typer.Exit(1)


@contextmanager
def _progress_bar(console, name: str):
    """The progress callback of an import, drawn as a bar of rows captured (a pulse while validating)."""
    from rich.progress import Progress

    with Progress(console=console) as progress:
        task = progress.add_task(f"orders {name}", total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


def _print_report(console, report, skip_invalid: bool) -> None:
    from rich.table import Table

    if report.already_imported:
        console.print(f"[yellow]imported before[/yellow] (payload {report.payload_id}); the outcome then:")
    if report.ignored_columns:
        console.print(f"[yellow]ignored unknown column(s):[/yellow] {', '.join(report.ignored_columns)}")
    if report.errors:
        table = Table("row", "column", "order_ref", "message", title=f"{report.error_count:,} error(s)")
        for e in report.errors[:SHOWN_ERRORS]:
            table.add_row(str(e.row), e.column, e.order_ref or "", e.message)
        console.print(table)
        if report.error_count > SHOWN_ERRORS:
            listed, more = len(report.errors), report.error_count - SHOWN_ERRORS
            written = f"the first {listed:,}" if listed < report.error_count else "them all"
            console.print(f"... and {more:,} more (--report FILE writes {written})")
    kept = f"; the file is inbound payload {report.payload_id}" if report.payload_id else ""
    console.print(f"{report.rows} row(s), {report.orders} order(s): {report.created} created, "
                  f"{report.replayed} captured before, {report.rejected} rejected{kept}")  # fmt: skip
    if report.errors and report.payload_id is None:
        hint = "" if skip_invalid else ", or pass --skip-invalid"
        console.print(f"nothing was imported; fix the rows above{hint}")


def _write_errors(path: Path, errors) -> None:
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "column", "order_ref", "message", "code"])
        writer.writerows([e.row, e.column, e.order_ref or "", e.message, e.code] for e in errors)
