"""`oms routing advise`, `oms routing proposals ...` and `oms routing profiles revert`: the routing advisor
proposes a profile change with its evidence; a person approves or rejects it, or reverts the profiles
to any earlier version. Registered on oms.cli_routing's apps.

Exit codes: 0 done (for `advise`, also when the evidence justifies no proposal), 1 refused (an unknown
proposal or version, a decided proposal, a stale base version, no delivered history to learn from)."""

from enum import StrEnum

import typer
import yaml

proposals_app = typer.Typer(
    no_args_is_help=True, help="Routing changes the advisor proposed: list, show, decide."
)
COMMENT = typer.Option("", help="Why, kept with the decision")
STATUS = typer.Option(None, help="Only the proposals in this status")


class Status(StrEnum):
    proposed = "proposed"
    approved = "approved"
    rejected = "rejected"
    superseded = "superseded"


COLUMNS = (
    "set",
    "orders",
    "quoted",
    "billed",
    "per order",
    "on time",
    "shipments/order",
    "unshipped",
    "changed",
)


def advise(
    days: int = typer.Option(14, min=1, max=365, help="Replay the ship orders created in the last DAYS"),
    max_orders: int = typer.Option(500, min=1, max=5000, help="At most this many, the newest first"),
) -> None:
    """Learn a reliability table, replay recent orders under the active profiles and candidates weighing
    late risk, and propose the best (never applied: `oms routing proposals approve` applies it)."""
    from agents.model_text import writer_model
    from agents.routing_advisor_run import SUMMARY
    from agents.routing_advisor_run import advise as run
    from oms.cli_routing import _uow
    from oms.services.routing_advice import ROUTING_ADVISOR

    advice = run(_uow(), ROUTING_ADVISOR, writer_model(SUMMARY), days, max_orders)
    if advice.replay is not None:
        _print_figures(advice.replay.model_dump(mode="json"))
    if advice.proposal is None:
        typer.echo(f"no proposal: {advice.reason}")
        raise typer.Exit(0 if advice.reliability else 1)
    typer.echo(f"routing proposal {advice.proposal.id}: {advice.reason}\n{advice.proposal.summary}")
    typer.echo(f"approve it with: oms routing proposals approve {advice.proposal.id} --comment '...'")


@proposals_app.command("list")
def proposals_list(status: Status | None = STATUS) -> None:
    """The proposals, newest first."""
    from oms.cli_routing import _actor, _uow
    from oms.services.routing_proposals import list_proposals

    for p in list_proposals(_uow(), _actor(), status and status.value).proposals:
        decided = f"  {p.decided_by}: {p.decision_comment}" if p.decided_by else ""
        typer.echo(f"{p.id:>5}  {p.created_at:%Y-%m-%d %H:%M}  {p.status:<10}  base v{p.base_version}  "
                   f"{p.evidence.get('chosen', '')}{decided}")  # fmt: skip


@proposals_app.command("show")
def proposals_show(proposal_id: int, as_json: bool = typer.Option(False, "--json")) -> None:
    """One proposal: its summary, evidence and candidate profile set."""
    from oms.cli_routing import _actor, _found, _uow
    from oms.services.routing_proposals import get_proposal

    p = _found(lambda: get_proposal(_uow(), _actor(), proposal_id))
    if as_json:
        typer.echo(p.model_dump_json(indent=2))
        return
    typer.echo(f"routing proposal {p.id} ({p.status}) by {p.created_by} at {p.created_at:%Y-%m-%d %H:%M},"
               f" against profiles version {p.base_version}\n{p.summary}")  # fmt: skip
    if "replay" in p.evidence:
        _print_figures(p.evidence["replay"])
    typer.echo(
        yaml.safe_dump(p.profiles.model_dump(mode="json", exclude_none=True), sort_keys=False), nl=False
    )


@proposals_app.command("approve")
def proposals_approve(proposal_id: int, comment: str = COMMENT) -> None:
    """Save the proposed profile set as the next active version."""
    from oms.services.routing_proposals import approve

    p = _decide(approve, proposal_id, comment)
    typer.echo(f"routing proposal {p.id} approved: routing profiles version {p.applied_version} is active")


@proposals_app.command("reject")
def proposals_reject(proposal_id: int, comment: str = COMMENT) -> None:
    """Reject the proposal; the profiles are unchanged."""
    from oms.services.routing_proposals import reject

    p = _decide(reject, proposal_id, comment)
    typer.echo(f"routing proposal {p.id} rejected")


def profiles_revert(version: int = typer.Argument(..., min=0, help="The version to restore (0: built-in)"),
                    comment: str = COMMENT) -> None:  # fmt: skip
    """Save a new version equal to VERSION: a revert is itself a version, and can be reverted."""
    from oms.cli_routing import _actor, _found, _uow
    from oms.services.routing_profiles import revert_profiles

    view = _found(lambda: revert_profiles(_uow(), _actor(), version, comment))
    typer.echo(f"routing profiles version {view.version} is active: version {version} restored")


def _decide(decide, proposal_id: int, comment: str):
    from oms.cli_routing import _actor, _found, _refused, _uow

    return _found(lambda: _refused(lambda: decide(_uow(), _actor(), proposal_id, comment)))


def _print_figures(replay: dict) -> None:
    typer.echo(f"{replay['orders']} ship orders from {replay['since'][:10]} to {replay['until'][:10]},"
               f" judged by reliability table version {replay['reliability_version']}; {replay['note']}")  # fmt: skip
    typer.echo("  ".join(f"{c:>15}" for c in COLUMNS))
    for name, f in replay["figures"].items():
        row = (name, f["orders"], f"{f['total_cost']:,.2f}", f"{f['billed_cost']:,.2f}", f"{f['cost_per_order']:.2f}", f"{f['on_time_rate']:.1%}",
               f"{f['shipments_per_order']:.2f}", f["unshipped_units"], f["changed_orders"])  # fmt: skip
        typer.echo("  ".join(f"{c:>15}" for c in row))
