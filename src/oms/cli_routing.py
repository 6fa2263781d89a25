"""`oms routing`: routing profiles and shipping rate tables from files, what is active, and batch
re-optimisation of the open orders.

Loading exits 0 when the file was saved as the new active version, 1 when it is invalid (every problem is
listed, with its row for a CSV, and nothing is stored), 2 when the file cannot be read.
"""

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import typer
import yaml

from oms.cli_routing_advice import advise, profiles_revert, proposals_app

routing_app = typer.Typer(no_args_is_help=True, help="Routing profiles, shipping rate tables, re-optimisation.")
profiles_app = typer.Typer(no_args_is_help=True, help="Routing profiles: strategies, filters, objectives.")
rates_app = typer.Typer(no_args_is_help=True, help="Shipping rate tables: carriers, zones, weight breaks.")
routing_app.add_typer(profiles_app, name="profiles")
routing_app.add_typer(rates_app, name="rates")
routing_app.add_typer(proposals_app, name="proposals")
routing_app.command("advise")(advise)
profiles_app.command("revert")(profiles_revert)

PROFILE_FORMATS = {".json": "json", ".yaml": "yaml", ".yml": "yaml"}
RATE_FORMATS = {".csv": "csv", ".json": "json"}
VERSION = typer.Option(None, min=0, help="A saved version (0: the built-in one)  [default: the active one]")
SINCE = typer.Option(
    None, formats=["%Y-%m-%d"], help="Learn from orders created since (UTC)  [default: a year ago]"
)
AS_OF = typer.Option(
    None, formats=["%Y-%m-%d"], help="Learn as on this day (UTC), as a replay would  [default: now]"
)
COMMENT = typer.Option("", help="Why it changed, kept with the version  [default: the file's name]")
CSV_COLUMNS = ("carrier", "service", "origin_country", "dest_country", "max_distance_km", "max_weight_kg",
               "price", "base_fee", "per_kg_over")  # fmt: skip


def _uow():
    from oms import cli
    from oms.services.uow import UnitOfWork

    return UnitOfWork(cli._migrated_engine())


def _actor():
    from oms.cli import CLI_ACTOR

    return CLI_ACTOR


@profiles_app.command("show")
def profiles_show(version: int | None = VERSION, as_json: bool = typer.Option(False, "--json")) -> None:
    """Print the routing profiles as YAML (or JSON), in the form `load` takes back."""
    from oms.services import routing_profiles as service

    uow, actor = _uow(), _actor()
    if version is None:
        view = service.get_active_profiles(uow, actor)
    else:
        view = _found(lambda: service.get_profile_version(uow, actor, version))
    data = view.profiles.model_dump(mode="json", exclude_none=True)  # an absent value means the same
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    saved = "" if view.builtin else f", saved by {view.saved_by} at {view.saved_at:%Y-%m-%d %H:%M}"
    comment = f": {view.comment}" if view.comment else ""
    typer.echo(f"# routing profiles version {view.version}{saved}{comment}")
    typer.echo(yaml.safe_dump(data, sort_keys=False), nl=False)


@profiles_app.command("load")
def profiles_load(file: Path, comment: str = COMMENT) -> None:
    """Save FILE.json or FILE.yaml as the new active version of the routing profiles."""
    from oms.services.routing_profiles import ProfilesSave, save_profiles

    text, fmt = _read(file, PROFILE_FORMATS)
    cmd = ProfilesSave(text=text, format=fmt, comment=comment or f"loaded from {file.name}")
    view = _saving(lambda: save_profiles(_uow(), _actor(), cmd), "routing profiles")
    names = ", ".join(s.name for s in view.profiles.strategies)
    typer.echo(f"routing profiles version {view.version} is active: {names}")


@profiles_app.command("versions")
def profiles_versions() -> None:
    """List the saved versions, newest (the active one) first."""
    from oms.services.routing_profiles import list_profile_versions

    for v in list_profile_versions(_uow(), _actor()):
        typer.echo(
            f"{v.version:>5}  {v.saved_at:%Y-%m-%d %H:%M}  {v.saved_by:<16}  {', '.join(v.strategies)}  {v.comment}"
        )


@rates_app.command("import")
def rates_import(file: Path, comment: str = COMMENT) -> None:
    """Save FILE.csv (or FILE.json) as the new active rate table. CSV columns, one row per weight break:
    carrier,service,origin_country,dest_country,max_distance_km,max_weight_kg,price[,base_fee,per_kg_over];
    blank countries and distance mean any."""
    from oms.services.rate_tables import RatesSave, save_rates

    text, fmt = _read(file, RATE_FORMATS)
    cmd = RatesSave(text=text, format=fmt, source=file.name, comment=comment or f"imported from {file.name}")
    view = _saving(lambda: save_rates(_uow(), _actor(), cmd), "rate table")
    carriers = ", ".join(sorted({c.carrier for c in view.rates.cards}))
    typer.echo(f"rate table version {view.version} is active: {len(view.rates.cards)} card(s) of {carriers}")


@rates_app.command("show")
def rates_show(version: int | None = VERSION) -> None:
    """Print the rate table as CSV, in the form `import` takes back."""
    from oms.services import rate_tables as service

    uow, actor = _uow(), _actor()
    if version is None:
        view = service.get_active_rates(uow, actor)
    else:
        view = _found(lambda: service.get_rates_version(uow, actor, version))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in view.rates.cards:
        lane = (
            c.carrier,
            c.service,
            c.origin_country or "",
            c.dest_country or "",
            _number(c.max_distance_km),
        )
        for b in c.breaks:
            writer.writerow((*lane, *map(_number, (b.max_weight_kg, b.price, c.base_fee, c.per_kg_over))))
    typer.echo(out.getvalue(), nl=False)


@rates_app.command("versions")
def rates_versions() -> None:
    """List the saved versions, newest (the active one) first."""
    from oms.services.rate_tables import list_rates_versions

    for v in list_rates_versions(_uow(), _actor()):
        typer.echo(
            f"{v.version:>5}  {v.saved_at:%Y-%m-%d %H:%M}  {v.saved_by:<16}  {v.cards:>5} card(s)  {v.source or ''}  {v.comment}"
        )


@routing_app.command("reoptimise")
def reoptimise(
    apply: int | None = typer.Option(None, "--apply", min=1, help="Apply this stored proposal"),
    channel: str | None = typer.Option(None, help="Only this channel's orders"),
    node: str | None = typer.Option(None, help="Only orders allocated at this node"),
    max_orders: int = typer.Option(500, min=1, max=5000, help="The oldest open orders first"),
    time_limit: float = typer.Option(30.0, min=1, max=600, help="Seconds the solver may take"),
    comment: str = typer.Option("", help="Why, kept with the proposal"),
) -> None:
    """Propose a joint re-routing of the open orders (a dry run, stored), or apply a stored proposal."""
    from oms.services import reoptimisation

    uow, actor = _uow(), _actor()
    if apply is not None:
        run = _found(lambda: _refused(lambda: reoptimisation.apply(uow, actor, apply)))
        typer.echo(f"re-optimisation {run.id} applied: {len(run.outcome.applied)} order(s) moved,"
                   f" {len(run.outcome.skipped)} skipped")  # fmt: skip
        for skipped in run.outcome.skipped:
            typer.echo(f"  order {skipped.order_id}: {skipped.reason}")
        return
    cmd = reoptimisation.ReoptimiseCommand(channel=channel, node_id=node, max_orders=max_orders,
                                           time_limit_seconds=time_limit, comment=comment)  # fmt: skip
    run = reoptimisation.propose(uow, actor, cmd)
    p = run.proposal
    bound = "" if p.lower_bound is None else f", lower bound {p.lower_bound:,.2f}"
    typer.echo(f"re-optimisation {run.id} proposed over {p.orders_considered} order(s) in {p.seconds:.1f} s:"
               f" objective {p.objective_current:,.2f} -> {p.objective_proposed:,.2f}{bound};"
               f" units {p.units_current} -> {p.units_proposed}; {len(p.changes)} order(s) would move")  # fmt: skip
    for change in p.changes:
        before = ", ".join(s.node_id for s in change.current) or "nothing"
        after = ", ".join(s.node_id for s in change.proposed) or "nothing"
        typer.echo(f"  order {change.order_id}: {before} -> {after}"
                   f" (score {change.current_score:.2f} -> {change.proposed_score:.2f})")  # fmt: skip
    if p.changes:
        typer.echo(f"apply it with: oms routing reoptimise --apply {run.id}")


def _refused(act):
    from oms.services.errors import Conflict

    try:
        return act()
    except Conflict as e:
        typer.echo(f"error: {e.detail}", err=True)
        raise typer.Exit(1) from None


@routing_app.command("learn")
def learn(since: datetime | None = SINCE, as_of: datetime | None = AS_OF) -> None:
    """Learn what the delivered history says about nodes and carriers (on-time probability and transit
    days per node, carrier, region and service level; short picks and late hand-overs per node), store it
    as the next version and print a summary. Exits 1 when there is nothing to learn from."""
    from oms.services.errors import ServiceError
    from oms.services.routing_reliability import latest_reliability, learn_from_database

    uow = _uow()
    try:
        info = learn_from_database(uow, _actor(), since=_utc(since), now=_utc(as_of))
    except ServiceError as e:
        typer.echo(f"error: {e.detail}", err=True)
        raise typer.Exit(1) from None
    m, (_, table) = info.metrics, latest_reliability(uow)
    typer.echo(f"routing reliability version {info.version}: {m['shipments']} delivered shipments from "
               f"{info.train_from:%Y-%m-%d} to {info.train_to:%Y-%m-%d}, {m['on_time_rate']:.1%} on time, "
               f"{m['lanes']} lanes, {m['cells']} cells, {m['nodes']} nodes")  # fmt: skip
    lanes = sorted((c.on_time, k) for k, c in table.lanes.items() if len(k) == 3 and c.shipments >= 20)
    for on_time, (carrier, region, service) in lanes[:5]:
        typer.echo(f"  weakest lane: {carrier} {service} to {region}: {on_time:.1%} on time")
    costly = sorted((-c.cost_ratio, k) for k, c in table.lanes.items() if len(k) == 3 and c.costed >= 5)
    for ratio, (carrier, region, service) in costly[:5]:
        typer.echo(f"  costliest lane: {carrier} {service} to {region}: billed {-ratio:.2f} x the quote")
    for node, r in sorted(table.nodes.items(), key=lambda item: -item[1].late_handover_rate)[:3]:
        typer.echo(f"  late hand-overs: {node} ({r.node_type}) {r.late_handover_rate:.1%}, "
                   f"short picks {r.short_pick_rate:.1%}")  # fmt: skip


def _utc(day: datetime | None) -> datetime | None:
    return day.replace(tzinfo=UTC) if day else None


def _found(get):
    from oms.services.errors import NotFound

    try:
        return get()
    except NotFound as e:
        typer.echo(f"error: {e.detail}", err=True)
        raise typer.Exit(1) from None


def _number(value: float | None) -> str:
    """As a person writes it: blank for none, 300 rather than 300.0."""
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else str(value)


def _read(file: Path, formats: dict[str, str]) -> tuple[str, str]:
    fmt = formats.get(file.suffix.lower())
    if fmt is None:
        typer.echo(f"error: {file.name} should end in {', '.join(formats)}", err=True)
        raise typer.Exit(2)
    try:
        return file.read_text(encoding="utf-8"), fmt
    except (OSError, UnicodeDecodeError) as e:
        typer.echo(f"error: cannot read {file}: {e}", err=True)
        raise typer.Exit(2) from None


def _saving(save, what: str):
    """Run `save`; on invalid input, list every problem and exit 1."""
    from rich.console import Console
    from rich.table import Table

    from oms.services.errors import ValidationFailed

    try:
        return save()
    except ValidationFailed as e:
        table = Table("where", "problem", title=f"invalid {what}: {len(e.errors)} problem(s)")
        for error in e.errors:
            table.add_row(_where(error.path), error.message)
        Console().print(table)
        typer.echo("nothing was saved; the active version is unchanged")
        raise typer.Exit(1) from None


def _where(path: tuple) -> str:
    if len(path) >= 2 and path[0] == "rows":
        return f"row {path[1]}" + (f", {path[2]}" if len(path) > 2 else "")
    return ".".join(map(str, path)) or "(file)"
