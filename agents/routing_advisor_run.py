"""Running the routing advisor: one run as a given actor (`oms routing advise`, tests), and the worker's
daily run as the system's routing advisor with the configured chat model, if any."""

import logging
from dataclasses import dataclass
from datetime import datetime

from langchain_core.language_models import BaseChatModel

from agents.model_text import writer_model
from agents.routing_advisor import AdvisorContext, graph
from oms.services.actor import Actor
from oms.services.routing_advice import ROUTING_ADVISOR, AdviceSettings, advice_turn
from oms.services.routing_proposals import ProposalPublic
from oms.services.routing_replay import ReplayReport
from oms.services.uow import UnitOfWork

SUMMARY = "routing advisor summary"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Advice:
    reason: str  # why the proposal, or why none
    proposal: ProposalPublic | None
    replay: ReplayReport | None  # None when nothing was learnt
    reliability: dict | None  # the learnt table's version, rows and metrics


def advise(uow: UnitOfWork, actor: Actor, model: BaseChatModel | None = None, days: int = 14,
           max_orders: int = 500, now: datetime | None = None, **context) -> Advice:  # fmt: skip
    """One run of the advisor; `context`: grid, services (see AdvisorContext)."""
    start = {"now": now.isoformat() if now else None, "days": days, "max_orders": max_orders}
    state = graph.invoke(start, context=AdvisorContext(uow, actor, model, **context))
    proposal, replay = state.get("proposal"), state.get("replay")
    return Advice(state["reason"], proposal and ProposalPublic.model_validate(proposal),
                  replay and ReplayReport.model_validate(replay), state.get("reliability"))  # fmt: skip


def scheduled_advice(engine) -> int:
    """The worker's job: 1 when a proposal was stored; 0 when advice is not due yet, another worker is
    advising, there is no delivered history to learn from, or no candidate is worth proposing."""
    with advice_turn(engine) as due:
        if not due:
            return 0
        settings = AdviceSettings()
        advice = advise(UnitOfWork(engine), ROUTING_ADVISOR, writer_model(SUMMARY), settings.advise_days,
                        settings.advise_max_orders)  # fmt: skip
    log.info("routing advisor: %s", advice.reason)
    return int(advice.proposal is not None)
