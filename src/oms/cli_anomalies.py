"""`oms anomalies scan [--json]`: run the anomaly agent once (the worker inside `oms run` runs it every
OMS_ANOMALY_SCAN_MINUTES) and print its digest."""

import dataclasses
import json
from datetime import datetime
from typing import Annotated

import typer

anomalies_app = typer.Typer(
    no_args_is_help=True, help="Anomalies: late deliveries, stockouts, stuck orders, unusual rates."
)


@anomalies_app.command("scan")
def anomalies_scan(
    as_json: Annotated[bool, typer.Option("--json", help="Print the scan and its alerts as JSON")] = False,
    now: Annotated[datetime | None, typer.Option(help="Scan as of this time (ISO 8601, with a zone)")] = None,
) -> None:
    """Run every check, raise the alerts that are new, resolve those that cleared, and print the digest.
    Exits 1 when a check failed (its alerts are left as they were)."""
    from agents.anomaly import run_scan
    from agents.anomaly_run import DIGEST
    from agents.model_text import writer_model
    from oms.cli import _migrated_engine
    from oms.services.anomaly_scan import ANOMALY_AGENT
    from oms.services.uow import UnitOfWork

    if now is not None and now.tzinfo is None:
        raise typer.BadParameter("give a time zone, e.g. 2026-03-10T09:00:00+01:00", param_hint="--now")
    actor = dataclasses.replace(ANOMALY_AGENT, on_behalf_of="cli")
    report = run_scan(UnitOfWork(_migrated_engine()), actor, writer_model(DIGEST), now)
    scan = report.scan
    if as_json:
        alerts = [finding.model_dump(mode="json") for finding in report.alerts]
        typer.echo(json.dumps({"scan": scan.model_dump(mode="json"), "alerts": alerts}, ensure_ascii=False))
    else:
        typer.echo(scan.digest)
        typer.echo(f"scan {scan.id}: {scan.raised} alert(s) raised, {scan.resolved} resolved (digest by"
                   f" {scan.digest_by})")  # fmt: skip
    if scan.summary.get("failed"):
        raise typer.Exit(1)
