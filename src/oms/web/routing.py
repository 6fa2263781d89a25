"""The routing page: the active profiles and what they weigh, the routing advisor's proposals (issue 09)
with the replay that argues for each, approving or rejecting one, and the saved versions, any of which
can be restored. Nothing the advisor proposes routes an order before a person approves it here (or over
the API, or with `oms routing proposals approve`)."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse

from oms.services import routing_proposals
from oms.services.actor import Permission
from oms.services.errors import ServiceError
from oms.services.routing_profiles import get_active_profiles, list_profile_versions, revert_profiles
from oms.web.console import Console, ConsoleDep, ConsoleRoute, CsrfChecked, FormDep, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
SHOWN = 20
ProposalId = Annotated[int, Path(ge=1, le=2**63 - 1)]
DONE = {"approve": "Approved: the candidate is now the active routing profiles version.",
        "reject": "Rejected: routing is unchanged.", "revert": "Restored: a new version equal to the one chosen is active."}  # fmt: skip


@router.get("/routing")
def routing_page(request: Request, console: ConsoleDep, done: str | None = None):
    return _routing(request, console, done=DONE.get(done or ""))


@router.get("/routing/proposals/{proposal_id}")
def proposal_page(request: Request, proposal_id: ProposalId, console: ConsoleDep, done: str | None = None):
    return _proposal(request, console, proposal_id, done=DONE.get(done or ""))


@router.post("/routing/proposals/{proposal_id}/{action}", dependencies=[CsrfChecked])
def decide(request: Request, proposal_id: ProposalId, action: Literal["approve", "reject"], console: ConsoleDep,
           form: FormDep):  # fmt: skip
    comment = _comment(form)
    decide_on = routing_proposals.approve if action == "approve" else routing_proposals.reject
    try:
        decide_on(console.uow, console.actor, proposal_id, comment)
    except ServiceError as refusal:
        error = f"Not done: {refusal.detail}."
        return _proposal(
            request, console, proposal_id, error=error, comment=comment, status_code=refusal.status
        )
    return RedirectResponse(f"/routing/proposals/{proposal_id}?done={action}", status_code=303)


@router.post("/routing/profiles/revert", dependencies=[CsrfChecked])
def revert(request: Request, console: ConsoleDep, form: FormDep):
    version = str(form.get("to_version") or "")
    if not version.isdigit():
        return _routing(request, console, error="Choose a version to restore.", status_code=422)
    try:
        revert_profiles(console.uow, console.actor, int(version), _comment(form))
    except ServiceError as refusal:
        return _routing(request, console, error=f"Not done: {refusal.detail}.", status_code=refusal.status)
    return RedirectResponse("/routing?done=revert", status_code=303)


def _comment(form) -> str:
    return str(form.get("comment") or "").strip()[:1000]


def _routing(request: Request, console: Console, status_code: int = 200, **context):
    uow, actor = console.uow, console.actor
    base = {"console": console, "active": get_active_profiles(uow, actor),
            "versions": list_profile_versions(uow, actor, SHOWN),
            "proposals": routing_proposals.list_proposals(uow, actor, limit=SHOWN).proposals,
            "may_write": console.can(Permission.ROUTING_WRITE), "done": None, "error": None}  # fmt: skip
    return render(request, "routing.html", base | context, status_code=status_code)


def _proposal(request: Request, console: Console, proposal_id: int, status_code: int = 200, **context):
    proposal = routing_proposals.get_proposal(console.uow, console.actor, proposal_id)
    may_decide = console.can(Permission.ROUTING_WRITE) and proposal.status == "proposed"
    base = {"console": console, "p": proposal, "replay": proposal.evidence.get("replay"),
            "may_decide": may_decide, "done": None, "error": None, "comment": ""}  # fmt: skip
    return render(request, "routing_proposal.html", base | context, status_code=status_code)
