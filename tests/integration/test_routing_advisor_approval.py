"""Routing proposals change no profile until a person approves; approval applies exactly the candidate,
only against the version it was weighed against; a revert restores a previous version exactly, as a new
version."""

import pytest
from sqlalchemy import func, select

from oms.db.tables import audit_events, routing_proposals
from oms.domain.routing.profiles import ProfileSet
from oms.services import routing_profiles as profiles_service
from oms.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from oms.services.routing_profiles import ProfilesSave, get_active_profiles, revert_profiles, save_profiles
from oms.services.routing_proposals import approve, get_proposal, list_proposals, propose, reject
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, OPS, VIEWER

ONE = {"version": 1, "strategies": [{"name": "cheapest", "objective": {"shipping_cost": 1}, "max_split": 1}]}
TWO = {"version": 1, "strategies": [
    {"name": "warehouses", "filters": {"node_types": ["warehouse"]}, "objective": {"split": 3},
     "max_split": 2, "allow_line_split": True, "fallback": "any"},
    {"name": "any", "max_split": 3},
]}  # fmt: skip


def candidate(data: dict = ONE) -> ProfileSet:
    return ProfileSet.model_validate(data)


def save(engine, data: dict):
    return save_profiles(UnitOfWork(engine), OPS, ProfilesSave(profiles=data, comment="test"))


def proposed(engine, data: dict = ONE):
    evidence = {"current": {"on_time_rate": 0.8}, "candidate": {"on_time_rate": 0.9}}
    return propose(UnitOfWork(engine), ADMIN, candidate(data), evidence, "", None)


def active(engine):
    return get_active_profiles(UnitOfWork(engine), OPS)


def test_a_proposal_changes_no_profile_until_it_is_approved(engine):
    proposal = proposed(engine)
    assert (proposal.status, proposal.base_version, active(engine).version) == ("proposed", 0, 0)
    approved = approve(UnitOfWork(engine), OPS, proposal.id, "looks right")
    now = active(engine)
    assert (approved.status, approved.applied_version, approved.decided_by) == ("approved", 1, OPS.name)
    assert now.version == 1 and now.profiles == candidate().model_copy(update={"version": 1})
    with engine.connect() as conn:
        actions = conn.execute(select(audit_events.c.action).order_by(audit_events.c.id)).scalars().all()
    assert actions == ["routing_proposal.proposed", "routing_profiles.saved", "routing_proposal.approved"]


def test_a_rejected_proposal_changes_nothing(engine):
    save(engine, TWO)
    proposal = proposed(engine)
    rejected = reject(UnitOfWork(engine), OPS, proposal.id, "not now")
    assert (rejected.status, rejected.decision_comment) == (
        "rejected",
        "not now",
    ) and not rejected.applied_version
    assert active(engine).version == 1 and active(engine).profiles.strategies[0].name == "warehouses"


def test_a_proposal_weighed_against_a_version_no_longer_active_is_refused(engine):
    proposal = proposed(engine)
    save(engine, TWO)  # someone edits the profiles meanwhile
    with pytest.raises(Conflict, match="version 0, but version 1 is active"):
        approve(UnitOfWork(engine), OPS, proposal.id, "")
    assert get_proposal(UnitOfWork(engine), OPS, proposal.id).status == "proposed"
    assert active(engine).version == 1 and active(engine).profiles.strategies[0].name == "warehouses"


def test_a_decided_proposal_cannot_be_decided_again_and_unknown_ones_are_not_found(engine):
    proposal = proposed(engine)
    reject(UnitOfWork(engine), OPS, proposal.id, "")
    for decide in (approve, reject):
        with pytest.raises(Conflict, match="rejected already"):
            decide(UnitOfWork(engine), OPS, proposal.id, "")
    with pytest.raises(NotFound):
        approve(UnitOfWork(engine), OPS, 999, "")
    assert active(engine).version == 0


def test_a_new_proposal_supersedes_the_open_one_and_the_audit_trail_says_so(engine):
    first, second = proposed(engine), proposed(engine, TWO)
    listed = list_proposals(UnitOfWork(engine), VIEWER).proposals
    assert [(p.id, p.status) for p in listed] == [(second.id, "proposed"), (first.id, "superseded")]
    assert (listed[1].decided_by, listed[1].decision_comment) == (
        ADMIN.name,
        f"superseded by routing proposal {second.id}",
    )
    with pytest.raises(Conflict, match="superseded already"):
        approve(UnitOfWork(engine), OPS, first.id, "")
    with engine.connect() as conn:
        query = select(audit_events).where(audit_events.c.action == "routing_proposal.superseded")
        [event] = conn.execute(query).all()
    assert (event.entity_id, event.actor, event.before) == (str(first.id), ADMIN.name, {"status": "proposed"})
    assert event.after["status"] == "superseded" and str(second.id) in event.after["comment"]


def test_only_routing_writers_decide_and_only_trainers_propose(engine):
    proposal = proposed(engine)
    for decide in (approve, reject):
        with pytest.raises(Forbidden):
            decide(UnitOfWork(engine), VIEWER, proposal.id, "")
    with pytest.raises(Forbidden):
        propose(UnitOfWork(engine), OPS, candidate(), {}, "", None)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(routing_proposals)).scalar_one() == 1


def test_a_revert_restores_the_previous_version_exactly_as_a_new_version(engine):
    first, second = save(engine, TWO), save(engine, ONE)
    assert second.profiles != first.profiles.model_copy(update={"version": 2})
    reverted = revert_profiles(UnitOfWork(engine), OPS, 1, "back to the warehouses")
    assert (reverted.version, reverted.comment) == (3, "back to the warehouses")
    assert reverted.profiles == first.profiles.model_copy(update={"version": 3})
    assert reverted.profiles.model_dump(exclude={"version"}) == first.profiles.model_dump(exclude={"version"})
    builtin = profiles_service.get_profile_version(UnitOfWork(engine), OPS, 0).profiles
    back = revert_profiles(UnitOfWork(engine), OPS, 0, "")
    assert back.version == 4 and back.comment == "reverted to version 0"
    assert back.profiles.model_dump(exclude={"version"}) == builtin.model_dump(exclude={"version"})


def test_a_revert_to_an_unknown_version_or_by_a_viewer_stores_nothing(engine):
    save(engine, ONE)
    with pytest.raises(NotFound):
        revert_profiles(UnitOfWork(engine), OPS, 7, "")
    with pytest.raises(Forbidden):
        revert_profiles(UnitOfWork(engine), VIEWER, 0, "")
    assert active(engine).version == 1


def test_a_set_pinning_a_table_never_learnt_is_refused_and_nothing_is_stored(engine):
    with pytest.raises(ValidationFailed) as refused:
        save(engine, {**ONE, "reliability_version": 5})
    assert refused.value.errors[0].path == ("reliability_version",)
    assert active(engine).version == 0
