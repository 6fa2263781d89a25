"""Routing profile changes proposed by the routing advisor, decided by a person: list and read them,
approve (the candidate becomes the next profiles version) or reject; and revert the profiles to any
earlier version (itself saved as a new version)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.api.responses import view_response
from oms.services import routing_profiles, routing_proposals
from oms.services.routing_profiles import ProfilesVersion
from oms.services.routing_proposals import MAX_LISTED, Decision, ProposalPublic, ProposalsPublic, Status

router = APIRouter(prefix="/routing", tags=["routing"])
ProposalId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class ProfilesRevert(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to_version: int = Field(ge=0, description="The version to restore; 0 is the built-in set")
    comment: str = Field(default="", max_length=1000, description="Why, kept with the new version")


@router.get("/proposals", response_model=ProposalsPublic, responses=problem_responses(422))
def read_proposals(
    actor: ActorDep, uow: UowDep, status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LISTED)] = 50,
) -> Response:  # fmt: skip
    """The routing advisor's proposals, newest first, each with its evidence. Needs routing:read."""
    return view_response(routing_proposals.list_proposals(uow, actor, status, limit))


@router.get("/proposals/{proposal_id}", response_model=ProposalPublic, responses=problem_responses(404, 422))
def read_proposal(proposal_id: ProposalId, actor: ActorDep, uow: UowDep) -> Response:
    return view_response(routing_proposals.get_proposal(uow, actor, proposal_id))


@router.post(
    "/proposals/{proposal_id}/approve",
    response_model=ProposalPublic,
    responses=problem_responses(404, 409, 422),
)
def approve_proposal(
    proposal_id: ProposalId, actor: ActorDep, uow: UowDep, decision: Decision | None = None
) -> Response:
    """Save the proposed profile set as the next version of the routing profiles and mark the proposal
    approved (`applied_version`), together. 409 when it was decided already, or when the active version is
    no longer the one it was weighed against (`base_version`): its evidence no longer applies. Needs
    routing:write."""
    return view_response(routing_proposals.approve(uow, actor, proposal_id, _comment(decision)))


@router.post(
    "/proposals/{proposal_id}/reject",
    response_model=ProposalPublic,
    responses=problem_responses(404, 409, 422),
)
def reject_proposal(
    proposal_id: ProposalId, actor: ActorDep, uow: UowDep, decision: Decision | None = None
) -> Response:
    """Mark the proposal rejected; the profiles are unchanged. 409 when it was decided already. Needs
    routing:write."""
    return view_response(routing_proposals.reject(uow, actor, proposal_id, _comment(decision)))


@router.post("/profiles/revert", response_model=ProfilesVersion, responses=problem_responses(404, 422))
def revert_profiles(cmd: ProfilesRevert, actor: ActorDep, uow: UowDep) -> Response:
    """Save a new version of the routing profiles equal to version `to_version` (only `version` differs),
    so a revert is itself versioned and can be reverted. 404 for a version never saved. Needs
    routing:write."""
    return view_response(routing_profiles.revert_profiles(uow, actor, cmd.to_version, cmd.comment))


def _comment(decision: Decision | None) -> str:
    return decision.comment if decision else ""
