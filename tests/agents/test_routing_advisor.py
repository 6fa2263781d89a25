"""The routing advisor on the demo's delivered history (45 days up to a Friday in early December): it
learns a table, replays the recent ship orders under the active profiles and the candidates, proposes the
best with its evidence and a summary, and changes no profile; approving the proposal does."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from langchain_core.messages import AIMessage
from sqlalchemy import text
from typer.testing import CliRunner

from agents.routing_advisor import AdvisorServices
from agents.routing_advisor_choice import GRID
from agents.routing_advisor_run import advise
from oms import cli
from oms.services import routing_config
from oms.services.routing_profiles import get_active_profiles
from oms.services.routing_proposals import approve, get_proposal
from oms.services.routing_reliability import RELIABILITY
from oms.services.uow import UnitOfWork
from tests.agents.conftest import scripted
from tests.factories import ADMIN, OPS
from tests.integration.test_delay_risk import load_demo_world

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
MAX_ORDERS = 150
# This world routes with the placeholder rates (one carrier): on its last two weeks the best late_risk weight
# gains about 1.5 points of predicted on-time rate at +1.8% billed cost, close to the default 2% budget, so
# the proposing tests allow 5% and a small change in the demo does not flip them.
BUDGET = 0.05


@pytest.fixture(scope="module")
def demo(_session_engine):
    return load_demo_world(_session_engine, 45, NOW)


@pytest.fixture
def world(demo):
    """The demo with no profile version, proposal or reliability table stored by an earlier test."""
    with demo.begin() as conn:
        conn.execute(text("DELETE FROM routing_proposals; DELETE FROM routing_profiles"))
        conn.execute(text("DELETE FROM ml_models WHERE name = :name"), {"name": RELIABILITY})
    routing_config.clear_cache()
    return demo


@dataclass
class Watched:
    """The real services, each call recorded by name."""

    calls: list[str] = field(default_factory=list)

    def services(self) -> AdvisorServices:
        real = AdvisorServices()
        return AdvisorServices(
            **{name: self._watch(name, getattr(real, name)) for name in real.__dataclass_fields__}
        )

    def _watch(self, name, service):
        def called(*args, **kwargs):
            self.calls.append(name)
            return service(*args, **kwargs)

        return called


def run(engine, model=None, watched: Watched | None = None, **options):
    services = (watched or Watched()).services()
    return advise(
        UnitOfWork(engine), ADMIN, model, max_orders=MAX_ORDERS, now=NOW, services=services, **options
    )


def test_the_advisor_proposes_with_its_evidence_and_changes_no_profile(world):
    watched, model = Watched(), scripted(AIMessage(content="Weigh late risk: GLS around Paris is late."))
    advice = run(world, model, watched, max_cost_increase=BUDGET)
    assert watched.calls == ["learn", "active_profiles", "replay", "propose", "store_summary"]
    proposal = get_proposal(UnitOfWork(world), OPS, advice.proposal.id)
    assert (proposal.status, proposal.base_version, proposal.reliability_version) == ("proposed", 0, 1)
    assert proposal.summary == "Weigh late risk: GLS around Paris is late."
    figures = proposal.evidence["replay"]["figures"]
    chosen = figures[proposal.evidence["chosen"]]
    assert set(figures) == {"current"} | {f"late_risk {w:g}" for w in GRID}
    assert chosen["on_time_rate"] >= figures["current"]["on_time_rate"] + 0.01
    assert chosen["billed_cost"] <= figures["current"]["billed_cost"] * (1 + BUDGET)
    assert proposal.evidence["criteria"] == {"max_cost_increase": BUDGET, "min_on_time_gain": 0.01}
    assert (
        proposal.evidence["replay"]["orders"] == MAX_ORDERS
        and "today's stock" in proposal.evidence["replay"]["note"]
    )
    assert proposal.profiles.reliability_version == 1
    assert {s.objective.late_risk for s in proposal.profiles.strategies} == {
        float(proposal.evidence["chosen"].split()[-1])
    }
    active = get_active_profiles(UnitOfWork(world), OPS)
    assert active.version == 0 and active.builtin and active.profiles.reliability_version is None


def test_the_cli_shows_the_evidence_of_a_proposal(world, monkeypatch):
    proposal = run(world, max_cost_increase=BUDGET).proposal
    monkeypatch.setattr(cli, "_migrated_engine", lambda: world)
    shown = CliRunner().invoke(
        cli.app, ["routing", "proposals", "show", str(proposal.id)], terminal_width=200
    )
    assert shown.exit_code == 0, shown.output
    assert (
        f"{MAX_ORDERS} ship orders" in shown.output
        and "judged by reliability table version 1" in shown.output
    )
    rows = [line.split() for line in shown.output.splitlines()]
    names = {" ".join(row[:-8]) for row in rows if len(row) >= 9 and row[-1].isdigit()}
    assert names >= {"current"} | {f"late_risk {w:g}" for w in GRID}


def test_approving_the_proposal_makes_it_the_active_profiles(world):
    advice = run(world, max_cost_increase=BUDGET)
    assert "Nothing changes until a person approves it" in advice.proposal.summary
    approved = approve(UnitOfWork(world), OPS, advice.proposal.id, "predicted on time, same cost")
    active = get_active_profiles(UnitOfWork(world), OPS)
    assert active.version == approved.applied_version == 1
    assert active.profiles.model_dump(exclude={"version"}) == advice.proposal.profiles.model_dump(
        exclude={"version"}
    )


def test_no_proposal_when_no_candidate_gains_a_point(world):
    watched = Watched()
    advice = run(world, watched=watched, grid=(0.0,))
    assert advice.proposal is None and "under the 1 point threshold" in advice.reason
    assert watched.calls == ["learn", "active_profiles", "replay"]
    with world.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM routing_proposals")).scalar() == 0
