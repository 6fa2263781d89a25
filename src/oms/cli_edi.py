"""`oms edi import FILE --channel b2b`: receive an X12 interchange from a file, as if the partner had
posted it (the same checks, the same answer per transaction set, the same 855s owed)."""

from pathlib import Path
from typing import Annotated

import typer

edi_app = typer.Typer(no_args_is_help=True, help="EDI X12 trading partners.")


@edi_app.command("import")
def edi_import(
    file: Annotated[Path, typer.Argument(help="An X12 interchange of 850 purchase orders")],
    channel: Annotated[str, typer.Option(help="The EDI channel it came from")],
) -> None:
    """Receive FILE on CHANNEL. Exits 0 when every purchase order was captured (or was before), 1 when
    some were refused, 2 when the interchange itself was refused or cannot be read."""
    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.channel_edi import receive_interchange
    from oms.services.errors import ServiceError
    from oms.services.uow import UnitOfWork

    try:
        receipt = receive_interchange(UnitOfWork(_migrated_engine()), CLI_ACTOR, channel, file.read_bytes())
    except OSError as error:
        typer.echo(f"error: cannot read {file}: {error.strerror}", err=True)
        raise typer.Exit(2) from None
    except ServiceError as error:
        typer.echo(f"refused: {len(error.errors)} problem(s)" if error.errors else f"refused: {error.detail}", err=True)
        for problem in error.errors:
            typer.echo(f"  {problem.message}", err=True)
        raise typer.Exit(2) from None
    again = " (received before: its first answer)" if receipt.replayed else ""
    typer.echo(f"interchange {receipt.control_number} from {receipt.sender}: payload {receipt.payload_id}{again}")
    for outcome in receipt.transaction_sets:
        order = f"order {outcome.order_id} ({outcome.order_status})" if outcome.order_id else "no order"
        typer.echo(f"  {outcome.reference:<16} PO {outcome.purchase_order:<22} {outcome.status:<9} {order},"
                   f" 855 {outcome.acknowledgement}")  # fmt: skip
        for problem in outcome.problems:
            typer.echo(f"      {problem.segment} (segment {problem.position}): {problem.message}")
    if any(outcome.status == "refused" for outcome in receipt.transaction_sets):
        raise typer.Exit(1)
