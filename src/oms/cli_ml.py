"""`oms ml train-delay` and `oms ml score-delay`: the delay model on CSV files (an imported history, the
open shipments to score) or, without the file options, on the database."""

from pathlib import Path
from typing import Annotated, NoReturn

import typer

ml_app = typer.Typer(no_args_is_help=True, help="Machine learning: the delay model.")


@ml_app.command("train-delay")
def train_delay(
    history: Annotated[Path | None, typer.Option(help="Delivered shipments (the CSV contract)")] = None,
    model_out: Annotated[Path | None, typer.Option(help="Where to write the trained model")] = None,
    cutoffs: Annotated[
        Path | None, typer.Option(help="The nodes' cut-offs: a CSV of node_id, cutoff_time, timezone")
    ] = None,
) -> None:
    """Train on HISTORY (with the nodes' CUTOFFS when known) and write the model to MODEL_OUT, or without
    both, train on the database's delivered shipments and store the model as its next version. Prints the
    model's and the per-carrier baseline's metrics on the later validation window."""
    if history is None and model_out is None:
        return _train_on_database()
    if history is None or model_out is None:
        _fail("give both --history and --model-out, or neither to train on the database")
    _train_on_files(history, model_out, cutoffs)


def _train_on_files(history: Path, model_out: Path, cutoffs: Path | None) -> None:
    from oms.ml.delay_cutoffs import read_cutoffs_csv
    from oms.ml.delay_model import train_delay_model
    from oms.ml.delay_rows import DelayDataError, read_shipments_csv

    try:
        nodes = read_cutoffs_csv(cutoffs) if cutoffs else None
        model = train_delay_model(read_shipments_csv(history, history=True), cutoffs=nodes)
    except DelayDataError as error:
        _fail(str(error))
    _write(model_out, model.to_bytes())
    typer.echo(_metrics_table(model.metadata))
    typer.echo(f"model {model.version} written to {model_out}")


@ml_app.command("score-delay")
def score_delay(
    model: Annotated[Path | None, typer.Option(help="A model written by train-delay --model-out")] = None,
    open_: Annotated[Path | None, typer.Option("--open", help="Open shipments (the CSV contract)")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write shipment_id,p_late")] = None,
    history: Annotated[
        Path | None, typer.Option(help="Recent delivered shipments, counted towards each node's load")
    ] = None,
) -> None:
    """Write P(late) for every shipment of OPEN to OUT, or without the options, score the database's open
    shipments with its latest model."""
    if model is None and open_ is None and out is None:
        return _score_database()
    if model is None or open_ is None or out is None:
        _fail("give --model, --open and --out, or none of them to score the database's open shipments")
    from oms.ml.delay_model import DelayModel, DelayModelError
    from oms.ml.delay_rows import DelayDataError, read_shipments_csv, write_predictions_csv

    try:
        fitted = DelayModel.load(model)
        shipments = read_shipments_csv(open_, history=False)
        context = read_shipments_csv(history, history=True) if history else []
    except (DelayDataError, DelayModelError) as error:
        _fail(str(error))
    p_late = fitted.predict(shipments, context=context)
    try:
        write_predictions_csv(out, zip((s.shipment_id for s in shipments), p_late, strict=True))
    except OSError as error:
        _fail(f"cannot write {out}: {error.strerror}")
    typer.echo(f"{len(shipments)} shipment(s) scored with {fitted.version}: {int((p_late >= 0.5).sum())} "
               f"more likely late than not, written to {out}")  # fmt: skip


def _train_on_database() -> None:
    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.delay_risk_training import train_from_database
    from oms.services.errors import ServiceError
    from oms.services.uow import UnitOfWork

    try:
        info = train_from_database(UnitOfWork(_migrated_engine()), CLI_ACTOR)
    except ServiceError as error:
        _fail(error.detail)
    typer.echo(
        _metrics_table({"metrics": info.metrics, "baseline_metrics": info.metrics.get("baseline", {})})
    )
    typer.echo(f"model {info.name} version {info.version} stored (trained on {info.train_from:%Y-%m-%d} "
               f"to {info.train_to:%Y-%m-%d}, validated from {info.validate_from:%Y-%m-%d})")  # fmt: skip


def _score_database() -> None:
    from oms.cli import CLI_ACTOR, _migrated_engine
    from oms.services.delay_risk import score_open_shipments
    from oms.services.uow import UnitOfWork

    risks = score_open_shipments(UnitOfWork(_migrated_engine()), CLI_ACTOR)
    if not risks:
        _fail("no delay model trained yet (oms ml train-delay), or no open shipment to score")
    likely = sum(r.p_late >= 0.5 for r in risks)
    typer.echo(f"{len(risks)} open shipment(s) scored: {likely} more likely late than not")


def _metrics_table(metadata: dict) -> str:
    model, baseline = metadata["metrics"], metadata["baseline_metrics"]
    lines = [f"{'validation window':<20}{'model':>10}{'per-carrier':>14}"]
    for key in ("roc_auc", "precision_at_100", "brier", "log_loss"):
        lines.append(
            f"{key:<20}{model.get(key, float('nan')):>10.4f}{baseline.get(key, float('nan')):>14.4f}"
        )
    lines.append(f"{'late rate':<20}{model.get('late_rate', float('nan')):>10.4f}   rows {model.get('rows')}")
    return "\n".join(lines)


def _write(path: Path, blob: bytes) -> None:
    try:
        path.write_bytes(blob)
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror}")


def _fail(message: str) -> NoReturn:
    typer.echo(message, err=True)
    raise typer.Exit(2)
