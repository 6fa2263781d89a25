"""The anomaly agent: a LangGraph graph run by `oms anomalies scan` and, inside `oms run`, by the worker
on a schedule. `gather` runs every check through oms.services; `rank` keeps one finding per condition,
the most urgent first, at most so many per kind; `explain` gives each a sentence from its strongest
reasons; `write` raises them as alerts and resolves the cleared ones (oms.services.anomaly_scan, one unit
of work); `digest` writes the managers' digest, by the chat model when one is configured, from a template
otherwise, and keeps it on the scan.

The graph acts as `AnomalyContext.actor` (the services check its role). Its state is JSON (findings as
dicts), so a checkpoint never holds a domain object."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict

from langchain_core.language_models import BaseChatModel
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from agents.anomaly_digest import llm_digest, scan_facts, template_digest
from agents.anomaly_rank import explained, rank
from oms.services.actor import Actor
from oms.services.anomaly_models import Finding
from oms.services.anomaly_scan import Check, ScanSettings, record_scan, run_checks, store_digest
from oms.services.anomaly_scan_models import ScanPublic, ScanRecord
from oms.services.uow import UnitOfWork


class AnomalyState(TypedDict, total=False):
    now: str | None  # the time the scan is as of (ISO 8601); None: the clock
    started_at: str
    found: list[dict]  # every check's findings, as JSON
    failed: dict[str, str]  # check name -> what went wrong
    covered: list[str]  # the alert kinds of the checks that ran
    checks: dict[str, int]  # findings per check
    ranked: list[dict]  # the findings to raise, most urgent first
    scan: dict  # the recorded ScanPublic, as JSON
    digest_by: str


@dataclass(frozen=True)
class AnomalyContext:
    uow: UnitOfWork
    actor: Actor
    model: BaseChatModel | None = None  # None: the digest comes from the template
    top_per_kind: int = 20
    checks: dict[str, Check] | None = None  # None: oms.services.anomaly_scan.CHECKS


def gather(state: AnomalyState, runtime: Runtime[AnomalyContext]) -> dict:
    ctx = runtime.context
    started = datetime.now(UTC).isoformat()
    run = run_checks(ctx.uow, ctx.actor, _now(state), ctx.checks)
    found = [finding.model_dump(mode="json") for findings in run.findings.values() for finding in findings]
    return {"started_at": state.get("now") or started, "found": found, "failed": run.failed,
            "covered": [kind.value for kind in run.covered],
            "checks": {name: len(findings) for name, findings in run.findings.items()}}  # fmt: skip


def rank_findings(state: AnomalyState, runtime: Runtime[AnomalyContext]) -> dict:
    ranked = rank(_findings(state["found"]), runtime.context.top_per_kind)
    return {"ranked": [finding.model_dump(mode="json") for finding in ranked]}


def explain_findings(state: AnomalyState) -> dict:
    return {"ranked": [explained(finding).model_dump(mode="json") for finding in _findings(state["ranked"])]}


def write(state: AnomalyState, runtime: Runtime[AnomalyContext]) -> dict:
    found = _findings(state["found"])
    summary = {
        "checks": state["checks"],
        "failed": state["failed"],
        "found": len({f.dedupe_key for f in found}),
    }
    record = ScanRecord(started_at=state["started_at"], findings=_findings(state["ranked"]),
                        found=[f.dedupe_key for f in found], covered=state["covered"], summary=summary)  # fmt: skip
    scan = record_scan(runtime.context.uow, runtime.context.actor, record, _now(state))
    return {"scan": scan.model_dump(mode="json")}


def digest(state: AnomalyState, runtime: Runtime[AnomalyContext]) -> dict:
    ctx = runtime.context
    scan = ScanPublic.model_validate(state["scan"])
    facts = scan_facts(scan, _findings(state["ranked"]))
    text = llm_digest(ctx.model, facts) if ctx.model is not None else None
    digest_by = "llm" if text else "template"
    stored = store_digest(ctx.uow, ctx.actor, scan.id, text or template_digest(facts), digest_by)
    return {"scan": stored.model_dump(mode="json"), "digest_by": digest_by}


def _findings(values: list[dict]) -> list[Finding]:
    return [Finding.model_validate(value) for value in values]


def _now(state: AnomalyState) -> datetime | None:
    return datetime.fromisoformat(state["now"]) if state.get("now") else None


def build_graph():
    builder = StateGraph(AnomalyState, context_schema=AnomalyContext)
    for name, node in (("gather", gather), ("rank", rank_findings), ("explain", explain_findings),
                       ("write", write), ("digest", digest)):  # fmt: skip
        builder.add_node(name, node)
    builder.add_edge(START, "gather")
    builder.add_edge("gather", "rank")
    builder.add_edge("rank", "explain")
    builder.add_edge("explain", "write")
    builder.add_edge("write", "digest")
    builder.add_edge("digest", END)
    return builder.compile(name="anomaly")


graph = build_graph()  # for LangGraph Studio and Server (langgraph.json)


@dataclass(frozen=True)
class ScanReport:
    scan: ScanPublic  # with its digest
    alerts: list[Finding]  # the findings raised or still standing, most urgent first, explained


def run_scan(uow: UnitOfWork, actor: Actor, model: BaseChatModel | None = None, now: datetime | None = None,
             **options: Any) -> ScanReport:  # fmt: skip
    """One scan as `actor`; options: top_per_kind (default from settings), checks (default: all)."""
    options.setdefault("top_per_kind", ScanSettings().top_per_kind)
    state = graph.invoke({"now": now.isoformat() if now else None},
                         context=AnomalyContext(uow, actor, model, **options))  # fmt: skip
    return ScanReport(ScanPublic.model_validate(state["scan"]), _findings(state["ranked"]))
