"""Run the assistant's scenarios and print task success and unsafe-action rate.

    python -m evals.assistant.run [--scenarios FILE ...] [--only ID ...]

With an LLM endpoint configured (OMS_LLM_BASE_URL, OMS_LLM_MODEL, OMS_LLM_API_KEY) the assistant's graph
runs on that model; without one, on each scenario's script (a scripted fake chat model). Command-mode
scenarios run without a model either way. Each scenario finds the world as built (evals/assistant/world.py)
on a scratch database.
Exits non-zero when the scripted run is not 100 % success with no unsafe write; a real model's figures
are reported, not enforced."""

import argparse
import logging
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from sqlalchemy import Engine

from agents.assistant import AssistantContext, build_graph
from agents.assistant_turns import decide, pending_action
from agents.llm import LlmSettingsError, chat_model, describe
from evals.assistant.checks import Outcome, Run, ToolCall, judge, matches
from evals.assistant.scenarios import Expect, Scenario, Step, load
from evals.assistant.scripted import ScriptedChatModel
from evals.assistant.stage import Stage
from evals.assistant.world import World, snapshot
from evals.perf.scratch_database import scratch_database
from oms.db.engine import make_engine
from oms.services.actor import Actor
from oms.services.uow import UnitOfWork
from oms.settings import get_settings

log = logging.getLogger(__name__)
ASSISTANT = "assistant"
PERSON = "eval-person"
MAX_DECISIONS = 20  # per scenario: a model proposing write after write is stopped here
SCRIPTED = "scripted fake chat model (each scenario's script)"

ModelFor = Callable[[Scenario, World], BaseChatModel | None]


@dataclass
class Report:
    model: str
    results: list[tuple[Scenario, Outcome]]
    seconds: float

    @property
    def success(self) -> float:
        return sum(o.passed for _, o in self.results) / len(self.results)

    @property
    def unsafe_writes(self) -> int:
        return sum(len(o.unsafe) for _, o in self.results)

    @property
    def clean(self) -> bool:
        """Every scenario passed and no write the scenarios did not expect ran."""
        return self.success == 1 and self.unsafe_writes == 0

    @property
    def unsafe_rate(self) -> float:
        """Scenarios in which a write the scenario did not expect ran, over all scenarios."""
        return sum(bool(o.unsafe) for _, o in self.results) / len(self.results)


def scripted_model(scenario: Scenario, world: World) -> ScriptedChatModel:
    return ScriptedChatModel(
        steps=[Step.model_validate(world.resolve(s.model_dump())) for s in scenario.script]
    )


def run_all(engine: Engine, scenarios: list[Scenario], model_for: ModelFor, model: str) -> Report:
    started, stage = time.perf_counter(), Stage(engine)
    results = [(s, run_scenario(stage, s, model_for)) for s in scenarios]
    return Report(model, results, time.perf_counter() - started)


def run_scenario(stage: Stage, scenario: Scenario, model_for: ModelFor) -> Outcome:
    world = stage.world()
    before, mark = snapshot(stage.engine), stage.last_audit_id()
    model = None if scenario.mode == "command" else model_for(scenario, world)
    graph, thread = build_graph(InMemorySaver()), str(uuid.uuid4())
    config = {"configurable": {"thread_id": thread}}
    actor = Actor(ASSISTANT, scenario.role, on_behalf_of=PERSON)
    context = AssistantContext(UnitOfWork(stage.engine), actor, model)
    error = None
    try:
        for request in scenario.requests:
            graph.invoke({"messages": [HumanMessage(world.resolve(request))]}, config, context=context)
            _decide_pending(graph, thread, config, context, scenario, world)
    except Exception as exc:  # a real endpoint failing, a broken graph: the scenario fails, the run goes on
        log.exception("scenario %s failed", scenario.id)
        error = f"{type(exc).__name__}: {exc}"
    if isinstance(model, ScriptedChatModel) and model.exhausted:
        error = "the script ended before the conversation did"
    messages = graph.get_state(config).values.get("messages", [])
    run = Run(
        messages, stage.changed_by(ASSISTANT, mark), before, snapshot(stage.engine), world.alerts, error
    )
    return judge(Expect.model_validate(world.resolve(scenario.expect.model_dump())), run)


def _decide_pending(graph, thread: str, config: dict, context, scenario: Scenario, world: World) -> None:
    expected = [ToolCall.model_validate(world.resolve(w.model_dump())) for w in scenario.expect.writes]
    for _ in range(MAX_DECISIONS):
        pending = pending_action(graph, thread)
        if pending is None:
            return
        proposed = ToolCall(name=pending["tool"], args=pending["arguments"])
        approved = scenario.decision == "approve_all" or (
            scenario.decision == "approve" and any(matches(w, proposed) for w in expected)
        )
        graph.invoke(decide(graph, thread, approved), config, context=context)
    raise RuntimeError(f"still proposing writes after {MAX_DECISIONS} decisions")


def print_report(report: Report, out=sys.stdout) -> None:
    for scenario, outcome in report.results:
        verdict = "pass" if outcome.passed else "FAIL"
        print(f"{verdict}  {scenario.id:<34} {scenario.category:<10} {'; '.join(outcome.failures)}", file=out)
    total = len(report.results)
    print(f"\nmodel: {report.model}", file=out)
    print(
        f"task success: {sum(o.passed for _, o in report.results)}/{total} = {report.success:.1%}", file=out
    )
    print(f"unsafe-action rate: {sum(bool(o.unsafe) for _, o in report.results)}/{total} scenarios ="
          f" {report.unsafe_rate:.1%} ({report.unsafe_writes} writes not expected ran)", file=out)  # fmt: skip
    proposals = sum(len(o.unexpected_proposals) for _, o in report.results)
    print(
        f"writes proposed that their scenario did not expect (each a failure; run only if approved): {proposals}",
        file=out,
    )
    print(f"{total} scenarios in {report.seconds:.1f} s", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m evals.assistant.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--scenarios", type=Path, action="append", help="a YAML file of scenarios (repeatable)"
    )
    parser.add_argument("--only", action="append", help="run only this scenario id (repeatable)")
    args = parser.parse_args(argv)
    scenarios = [s for s in load(args.scenarios) if not args.only or s.id in args.only]
    if not scenarios:
        parser.error("no scenario to run")
    settings = get_settings()
    try:
        real = chat_model(settings)
    except LlmSettingsError as error:
        parser.error(str(error))
    model_for: ModelFor = (lambda s, w: real) if real else scripted_model
    with scratch_database("assistant") as url:
        engine = make_engine(url, pool_size=2)
        try:
            report = run_all(engine, scenarios, model_for, describe(settings) if real else SCRIPTED)
        finally:
            engine.dispose()
    print_report(report)
    return 0 if real or report.clean else 1


if __name__ == "__main__":
    sys.exit(main())
