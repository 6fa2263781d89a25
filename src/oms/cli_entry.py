"""`oms entry extract FILE [--json]`: read a PDF purchase order or invoice into the draft order staff would
check, without creating anything (no draft, no payload, no order)."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, NoReturn

import typer

entry_app = typer.Typer(no_args_is_help=True, help="Order entry from PDF purchase orders and invoices.")


@entry_app.command("extract")
def entry_extract(
    file: Annotated[Path, typer.Argument(help="A PDF purchase order or invoice")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the draft as one JSON object")] = False,
    channel: Annotated[str | None, typer.Option(help="Check the draft as an order of this channel")] = None,
) -> None:
    """Print the draft FILE becomes: header, customer, ship-to, lines with their catalogue match, total,
    confidence and warnings. Exits 2 when the file cannot be read or is no readable PDF."""
    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.errors import ServiceError
    from oms.services.order_entry import extract_draft
    from oms.services.uow import UnitOfWork

    try:
        content = file.read_bytes()
        draft = extract_draft(UnitOfWork(_migrated_engine()), CLI_ACTOR, content, channel, _refiner())
    except OSError as error:
        _fail(f"cannot read {file}: {error.strerror}")
    except ServiceError as error:
        reason = "; ".join(e.message for e in error.errors) if error.errors else error.detail
        _fail(f"{file} refused: {reason}")
    typer.echo(json.dumps(draft.model_dump(), default=_plain, ensure_ascii=False) if as_json else _summary(draft))


@entry_app.command("refresh-vectors")
def entry_refresh_vectors() -> None:
    """Fill the vectors documents are matched by, for products and customers that have none (rows from
    before the upgrade that added them, or written by SQL); the catalogue keeps its own current."""
    from oms.cli import _migrated_engine
    from oms.services.order_entry_embeddings import refresh_embeddings

    with _migrated_engine().begin() as conn:
        filled = refresh_embeddings(conn, limit=None)
    typer.echo(f"{filled} vector(s) written")


def _refiner():
    """The language model's reading of hard layouts, when one is configured and the agents are installed."""
    try:
        from agents.order_entry import configured_refiner
    except ImportError:
        return None
    try:
        return configured_refiner()
    except ValueError as error:  # agents.llm.LlmSettingsError: incomplete settings, saying what to set
        _fail(str(error))


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _plain(value):
    """Amounts as JSON numbers (whole ones as integers), dates as ISO 8601."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _summary(draft) -> str:
    customer = draft.customer
    known = f" (customer {customer.id}, match {customer.match_score:.2f})" if customer.id else " (not a known customer)"
    address = ", ".join(filter(None, (draft.ship_to.name, draft.ship_to.line1, draft.ship_to.postal_code,
                                      draft.ship_to.city, draft.ship_to.country)))  # fmt: skip
    rows = [f"{draft.document_type} {draft.document_number or '?'} of {draft.document_date or '?'}",
            f"customer: {customer.name or '?'} <{customer.email or '?'}>{known}",
            f"ship to:  {address or '?'}", f"currency: {draft.currency or '?'}   total: {draft.total or '?'}",
            "lines:"]  # fmt: skip
    for line in draft.lines:
        sku = line.sku or "(choose)"
        rows.append(f"  {sku:<16} {line.quantity or '?':>8} x {line.unit_price or '?':>10}  "
                    f"{line.match_method or '-':<13} {line.match_score:.2f}  {line.description[:50]}")  # fmt: skip
    rows.append(f"confidence: {draft.confidence:.2f}")
    rows += [f"warning: {warning}" for warning in draft.warnings]
    rows += [f"problem: {'.'.join(map(str, p['path']))}: {p['message']}" for p in draft.problems]
    return "\n".join(rows)
