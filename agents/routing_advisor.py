"""The routing advisor: a LangGraph graph run by `oms routing advise` and, inside `oms run`, by the
worker once a day. `learn` stores a new routing reliability table from the delivered history;
`candidates` weighs the active profile set's `late_risk` over a grid, routing with that table
(agents/routing_advisor_choice.py); `replay` routes the recent ship orders under the active set and each
candidate, changing nothing (oms.services.routing_replay); `choose` keeps the best predicted on-time rate
within the cost budget, or nothing; `propose` stores it with its evidence; `summarise` writes a summary
for the approver (the chat model when configured, else a template).

The advisor never saves a profile: only a person's approval (oms.services.routing_proposals.approve)
does. It acts as `AdvisorContext.actor`; its services come from `AdvisorContext.services`, so a test can
watch the calls. Its state is JSON, never a domain object."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypedDict

from langchain_core.language_models import BaseChatModel
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.routing_advisor_choice import GRID, MAX_COST_INCREASE, MIN_ON_TIME_GAIN, candidates, choose
from agents.routing_advisor_summary import llm_summary, template_summary
from oms.services import routing_proposals, routing_replay
from oms.services.actor import Actor
from oms.services.routing_profile_data import validate_profiles
from oms.services.routing_profiles import get_active_profiles
from oms.services.routing_reliability import NoDeliveredHistory, learn_from_database
from oms.services.uow import UnitOfWork


class AdvisorState(TypedDict, total=False):
    now: str | None  # the time the advice is as of (ISO 8601); None: the clock
    days: int
    max_orders: int
    reliability: dict  # the learnt table: version, rows, metrics
    candidates: dict[str, dict]  # name -> candidate profile set, as JSON
    replay: dict  # oms.services.routing_replay.ReplayReport, as JSON
    chosen: str | None
    reason: str  # why this candidate, or why no proposal
    proposal: dict | None  # oms.services.routing_proposals.ProposalPublic, as JSON
    summary_by: str


@dataclass(frozen=True)
class AdvisorServices:
    learn: Callable = learn_from_database
    active_profiles: Callable = get_active_profiles
    replay: Callable = routing_replay.replay_profiles
    propose: Callable = routing_proposals.propose
    store_summary: Callable = routing_proposals.store_summary


@dataclass(frozen=True)
class AdvisorContext:
    uow: UnitOfWork
    actor: Actor
    model: BaseChatModel | None = None  # None: the summary comes from the template
    grid: tuple[float, ...] = GRID
    max_cost_increase: float = MAX_COST_INCREASE  # over the active profiles' shipping cost
    min_on_time_gain: float = MIN_ON_TIME_GAIN  # predicted on-time rate, below which nothing is proposed
    services: AdvisorServices = field(default_factory=AdvisorServices)


def learn(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict:
    ctx = runtime.context
    try:
        info = ctx.services.learn(ctx.uow, ctx.actor, now=_now(state))
    except NoDeliveredHistory as exc:
        return {"reason": f"nothing to learn from: {exc.detail}"}
    return {"reliability": {"version": info.version, "rows": info.rows, "metrics": info.metrics}}


def weigh(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict:
    ctx = runtime.context
    active = ctx.services.active_profiles(ctx.uow, ctx.actor).profiles
    found = candidates(active, state["reliability"]["version"], ctx.grid)
    return {"candidates": {name: p.model_dump(mode="json", exclude={"version"}) for name, p in found.items()}}


def replay(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict:
    ctx = runtime.context
    sets = {name: validate_profiles(data) for name, data in state["candidates"].items()}
    report = ctx.services.replay(ctx.uow, ctx.actor, sets, state["reliability"]["version"], days=state["days"],
                                 max_orders=state["max_orders"], now=_now(state))  # fmt: skip
    return {"replay": report.model_dump(mode="json")}


def pick(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict:
    ctx = runtime.context
    if not state["replay"]["orders"]:
        return {"chosen": None, "reason": "no ship order to replay in the window"}
    figures = state["replay"]["figures"]
    chosen, reason = choose(figures, routing_replay.CURRENT, ctx.max_cost_increase, ctx.min_on_time_gain)
    return {"chosen": chosen, "reason": reason}


def propose(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict:
    ctx, table = runtime.context, state["reliability"]
    candidate = validate_profiles(state["candidates"][state["chosen"]])
    proposal = ctx.services.propose(ctx.uow, ctx.actor, candidate, _evidence(state, ctx), "", table["version"],
                                    base_version=state["replay"]["profiles_version"])  # fmt: skip
    return {"proposal": proposal.model_dump(mode="json")}


def summarise(state: AdvisorState, runtime: Runtime[AdvisorContext]) -> dict:
    ctx, evidence = runtime.context, state["proposal"]["evidence"]
    text = llm_summary(ctx.model, evidence) if ctx.model is not None else None
    stored = ctx.services.store_summary(
        ctx.uow, ctx.actor, state["proposal"]["id"], text or template_summary(evidence)
    )
    return {"proposal": stored.model_dump(mode="json"), "summary_by": "llm" if text else "template"}


def _evidence(state: AdvisorState, ctx: AdvisorContext) -> dict:
    return {"replay": state["replay"], "grid": list(ctx.grid), "chosen": state["chosen"], "reason": state["reason"],
            "reliability": state["reliability"],
            "criteria": {"max_cost_increase": ctx.max_cost_increase, "min_on_time_gain": ctx.min_on_time_gain}}  # fmt: skip


def after_learning(state: AdvisorState) -> str:
    return "candidates" if state.get("reliability") else END


def after_choosing(state: AdvisorState) -> str:
    return "propose" if state.get("chosen") else END


def _now(state: AdvisorState) -> datetime | None:
    return datetime.fromisoformat(state["now"]) if state.get("now") else None


def build_graph():
    builder = StateGraph(AdvisorState, context_schema=AdvisorContext)
    for name, node in (("learn", learn), ("candidates", weigh), ("replay", replay), ("choose", pick),
                       ("propose", propose), ("summarise", summarise)):  # fmt: skip
        builder.add_node(name, node)
    builder.add_edge(START, "learn")
    builder.add_conditional_edges("learn", after_learning, ["candidates", END])
    builder.add_edge("candidates", "replay")
    builder.add_edge("replay", "choose")
    builder.add_conditional_edges("choose", after_choosing, ["propose", END])
    builder.add_edge("propose", "summarise")
    builder.add_edge("summarise", END)
    return builder.compile(name="routing_advisor")


graph = build_graph()  # for LangGraph Studio and Server (langgraph.json)
