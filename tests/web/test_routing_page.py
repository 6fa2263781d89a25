"""The routing page: the active profiles, the advisor's proposals with their replay, approving or rejecting
one (ops), and restoring a saved version; viewers read without acting."""

from sqlalchemy import text

from oms.domain.routing.profiles import profiles_from_data
from oms.services.actor import SYSTEM, Role
from oms.services.routing_profile_data import BUILTIN_PROFILES
from oms.services.routing_profiles import ProfilesSave, get_active_profiles, save_profiles
from oms.services.routing_proposals import propose
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN
from tests.web.conftest import as_role, csrf_of

FIGURES = {"orders": 40, "total_cost": 400.0, "cost_per_order": 10.0, "on_time_rate": 0.84,
           "shipments_per_order": 1.1, "unshipped_units": 0, "changed_orders": 0}  # fmt: skip


def _candidate(split: float):
    data = profiles_from_data(BUILTIN_PROFILES).model_dump(mode="json")
    for strategy in data["strategies"]:
        strategy["objective"]["split"] = split
    return profiles_from_data(data)


def _proposal(engine, split: float = 7.0) -> int:
    replay = {
        "orders": 40,
        "skipped": 1,
        "since": "2026-11-09T00:00:00+00:00",
        "until": "2026-11-23T00:00:00+00:00",
        "note": "routed against today's stock",
        "reliability_version": 3,
        "figures": {"current": FIGURES, "late_risk 20": FIGURES | {"on_time_rate": 0.9, "total_cost": 404.0}},
    }
    evidence = {"replay": replay, "chosen": "late_risk 20", "reason": "late_risk 20 gains 6.0 points"}
    proposal = propose(
        UnitOfWork(engine), SYSTEM, _candidate(split), evidence, "Proposed: late_risk 20.", None
    )
    return proposal.id


def _active(engine):
    return get_active_profiles(UnitOfWork(engine), ADMIN)


def _post(web, path: str, **data):
    token = csrf_of(web.get("/routing").text)
    return web.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def test_ops_read_a_proposal_with_its_replay_and_approve_it(web, engine):
    proposal_id = _proposal(engine)
    as_role(web, engine, Role.OPS)
    page = web.get("/routing").text
    assert 'href="/routing"' in page and f'data-proposal="{proposal_id}"' in page
    assert "rules only: no learned prediction" in page  # the built-in set pins no table
    detail = web.get(f"/routing/proposals/{proposal_id}").text
    assert 'data-set="late_risk 20" class="chosen"' in detail and "90.0 %" in detail and "84.0 %" in detail
    approved = _post(web, f"/routing/proposals/{proposal_id}/approve", comment="go")
    assert approved.status_code == 303
    active = _active(engine)
    assert active.version == 1 and {s.objective.split for s in active.profiles.strategies} == {7.0}
    assert "saved as version 1" in web.get(approved.headers["location"]).text


def test_rejecting_changes_nothing_and_a_decided_proposal_cannot_be_decided_again(web, engine):
    proposal_id = _proposal(engine)
    as_role(web, engine, Role.OPS)
    assert _post(web, f"/routing/proposals/{proposal_id}/reject", comment="not now").status_code == 303
    assert _active(engine).version == 0
    again = _post(web, f"/routing/proposals/{proposal_id}/approve")
    assert again.status_code == 409 and "rejected already" in again.text
    assert _active(engine).version == 0


def test_a_viewer_reads_proposals_but_has_no_form_and_is_refused_a_decision(web, engine):
    proposal_id = _proposal(engine)
    as_role(web, engine, Role.VIEWER)
    detail = web.get(f"/routing/proposals/{proposal_id}").text
    assert "Approve: route with it" not in detail and "ops and administrators decide" in detail
    assert _post(web, f"/routing/proposals/{proposal_id}/approve").status_code == 403
    assert _active(engine).version == 0


def test_restoring_a_version_saves_a_new_one_equal_to_it(web, engine):
    uow = UnitOfWork(engine)
    first = save_profiles(uow, ADMIN, ProfilesSave(profiles=_candidate(3.0).model_dump(mode="json"))).profiles
    save_profiles(uow, ADMIN, ProfilesSave(profiles=_candidate(9.0).model_dump(mode="json")))
    as_role(web, engine, Role.OPS)
    assert (
        _post(web, "/routing/profiles/revert", to_version="1", comment="v2 split too much").status_code == 303
    )
    active = _active(engine)
    assert active.version == 3 and active.comment == "v2 split too much"
    assert active.profiles.model_dump(exclude={"version"}) == first.model_dump(exclude={"version"})
    assert _post(web, "/routing/profiles/revert", to_version="").status_code == 422
    missing = _post(web, "/routing/profiles/revert", to_version="99")
    assert missing.status_code == 404
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM routing_profiles")).scalar() == 3
