"""Routing profile changes proposed by the routing advisor (agents/routing_advisor.py), applied only when
a person approves. A proposal holds the candidate profile set, the active version it was weighed against
(`base_version`), the replay's evidence and a summary for people. Approving saves the candidate as the next
profiles version in the same transaction as the decision; it is refused (409) once another version became
active, since the evidence no longer compares against what routes. A newer proposal supersedes an open one,
which is recorded as a decision of its proposer's (audited like an approval or a rejection)."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import Row, func, insert, select, text, update

from oms.db.tables import routing_profiles
from oms.db.tables import routing_proposals as proposals
from oms.domain.routing.profiles import ProfileSet
from oms.services import routing_config
from oms.services.actor import Actor, Permission
from oms.services.errors import Conflict, NotFound
from oms.services.routing_profiles import store_version
from oms.services.routing_versions import active_row
from oms.services.uow import UnitOfWork

Status = Literal["proposed", "approved", "rejected", "superseded"]
MAX_LISTED = 200
# Two advisors proposing at once would each supersede the other's older proposal and leave two open.
_ONE_PROPOSER = text("SELECT pg_advisory_xact_lock(hashtext('oms.routing_proposals.propose'))")


class ProposalPublic(BaseModel):
    id: int
    created_at: dt.datetime
    created_by: str
    status: Status
    base_version: int = Field(description="The active profiles version the candidate was weighed against")
    reliability_version: int | None = Field(description="The routing reliability table the candidate pins")
    profiles: ProfileSet = Field(description="The candidate profile set; its version is assigned on approval")
    evidence: dict = Field(description="The replay's figures for the current set and the candidate, the grid")
    summary: str = Field(description="For a person to read; never applied")
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    decision_comment: str | None = None
    applied_version: int | None = Field(default=None, description="The profiles version approval saved")


class ProposalsPublic(BaseModel):
    proposals: list[ProposalPublic] = Field(description="Newest first")


class Decision(BaseModel):
    comment: str = Field(default="", max_length=1000, description="Why, kept with the decision")


def propose(uow: UnitOfWork, actor: Actor, candidate: ProfileSet, evidence: dict, summary: str,
            reliability_version: int | None, base_version: int | None = None) -> ProposalPublic:  # fmt: skip
    """Store the candidate as an open proposal against the active version; an older open one is
    superseded. Changes no profile. 409 when `base_version`, the version the evidence was measured
    against, is no longer the active one."""
    actor.require(Permission.MODELS_TRAIN)
    with uow:
        uow.conn.execute(_ONE_PROPOSER)
        active = active_row(uow.conn, routing_profiles)
        base = 0 if active is None else active.version
        if base_version is not None and base_version != base:
            raise Conflict(
                f"the evidence compares against profiles version {base_version}, but {base} is active"
            )
        # The version it would be saved as if approved now (the built-in set's 0 is no valid version).
        profiles = candidate.model_copy(update={"version": base + 1}).model_dump(mode="json")
        values = {"created_by": actor.name, "base_version": base, "reliability_version": reliability_version,
                  "profiles": profiles, "evidence": evidence, "summary": summary}  # fmt: skip
        row = uow.conn.execute(insert(proposals).values(values).returning(proposals)).one()
        uow.record(actor, "routing_proposal.proposed", "routing_proposal", row.id,
                   after={"base_version": row.base_version, "reliability_version": reliability_version})  # fmt: skip
        _supersede_open(uow, actor, row.id)
        uow.commit()
    return _view(row)


def store_summary(uow: UnitOfWork, actor: Actor, proposal_id: int, summary: str) -> ProposalPublic:
    """The advisor's summary, written once the proposal is stored (by the chat model or a template)."""
    actor.require(Permission.MODELS_TRAIN)
    with uow.autocommit():
        query = update(proposals).where(proposals.c.id == proposal_id).values(summary=summary)
        row = uow.conn.execute(query.returning(proposals)).one_or_none()
    return _view(_found(row, proposal_id))


def list_proposals(
    uow: UnitOfWork, actor: Actor, status: Status | None = None, limit: int = 50
) -> ProposalsPublic:
    actor.require(Permission.ROUTING_READ)
    query = select(proposals).order_by(proposals.c.id.desc()).limit(min(max(limit, 1), MAX_LISTED))
    if status is not None:
        query = query.where(proposals.c.status == status)
    with uow.reading():
        return ProposalsPublic(proposals=[_view(r) for r in uow.conn.execute(query)])


def get_proposal(uow: UnitOfWork, actor: Actor, proposal_id: int) -> ProposalPublic:
    actor.require(Permission.ROUTING_READ)
    with uow.reading():
        row = uow.conn.execute(select(proposals).where(proposals.c.id == proposal_id)).one_or_none()
    return _view(_found(row, proposal_id))


def approve(uow: UnitOfWork, actor: Actor, proposal_id: int, comment: str) -> ProposalPublic:
    """Save the candidate as the next profiles version and mark the proposal approved, together; 409
    when it was decided already or the active version is no longer its base_version."""
    actor.require(Permission.ROUTING_WRITE)
    with uow:
        row = _open(uow, proposal_id)
        saved = store_version(uow, actor, ProfileSet.model_validate(row.profiles),
                              comment or f"routing proposal {proposal_id} approved", row.base_version)  # fmt: skip
        row = _decide(uow, actor, row, "approved", comment, saved.version)
        uow.commit()
    routing_config.clear_cache()
    return _view(row)


def reject(uow: UnitOfWork, actor: Actor, proposal_id: int, comment: str) -> ProposalPublic:
    actor.require(Permission.ROUTING_WRITE)
    with uow:
        row = _decide(uow, actor, _open(uow, proposal_id), "rejected", comment, None)
        uow.commit()
    return _view(row)


def _open(uow: UnitOfWork, proposal_id: int) -> Row:
    query = select(proposals).where(proposals.c.id == proposal_id).with_for_update()
    row = _found(uow.conn.execute(query).one_or_none(), proposal_id)
    if row.status != "proposed":
        raise Conflict(f"routing proposal {proposal_id} is {row.status} already")
    return row


def _supersede_open(uow: UnitOfWork, actor: Actor, newer_id: int) -> None:
    query = select(proposals).where(proposals.c.status == "proposed", proposals.c.id < newer_id)
    for older in uow.conn.execute(query.order_by(proposals.c.id).with_for_update()).all():
        _decide(uow, actor, older, "superseded", f"superseded by routing proposal {newer_id}", None)


def _decide(
    uow: UnitOfWork, actor: Actor, row: Row, status: Status, comment: str, applied: int | None
) -> Row:
    values = {"status": status, "decided_by": actor.name, "decided_at": func.now(),
              "decision_comment": comment, "applied_version": applied}  # fmt: skip
    query = update(proposals).where(proposals.c.id == row.id).values(values).returning(proposals)
    decided = uow.conn.execute(query).one()
    uow.record(actor, f"routing_proposal.{status}", "routing_proposal", row.id, before={"status": row.status},
               after={"status": status, "comment": comment, "applied_version": applied})  # fmt: skip
    return decided


def _found(row: Row | None, proposal_id: int) -> Row:
    if row is None:
        raise NotFound(f"no routing proposal {proposal_id}")
    return row


def _view(row: Row) -> ProposalPublic:
    return ProposalPublic.model_validate(dict(row._mapping))
