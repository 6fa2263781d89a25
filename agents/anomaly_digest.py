"""The manager digest of an anomaly scan: written by the chat model when one is configured (from
prompts/anomaly_digest.md, given the scan's facts as JSON), from a template otherwise or when the model
fails. Either way it says only what the scan found."""

from collections import Counter
from datetime import UTC

from langchain_core.language_models import BaseChatModel

from agents.model_text import written_by_model
from oms.services.anomaly_models import Finding
from oms.services.anomaly_scan_models import ScanPublic

URGENT_SHOWN = 5  # in the template; the model is given twice as many to choose from
MAX_DIGEST_CHARS = 4000


def scan_facts(scan: ScanPublic, ranked: list[Finding]) -> dict:
    """What the digest may say, as JSON: the counts of the scan and its most urgent alerts."""
    return {
        "scanned_at": f"{(scan.finished_at or scan.started_at).astimezone(UTC):%Y-%m-%d %H:%M} UTC",
        "raised": scan.raised,
        "resolved": scan.resolved,
        "escalated": len(scan.summary.get("escalated", [])),
        "standing": scan.summary.get("found", len(ranked)),
        "alerts_by_kind": dict(Counter(finding.kind.value for finding in ranked)),
        "failed_checks": scan.summary.get("failed", {}),
        "most_urgent": [
            _urgent(f, f.dedupe_key in scan.summary.get("raised_alerts", {}))
            for f in ranked[: URGENT_SHOWN * 2]
        ],
    }


def template_digest(facts: dict) -> str:
    escalated = f" ({facts['escalated']} escalated)" if facts["escalated"] else ""
    first = (f"Anomaly scan at {facts['scanned_at']}: {facts['raised']} new alert(s){escalated},"
             f" {facts['resolved']} resolved, {facts['standing']} condition(s) standing.")  # fmt: skip
    lines = [first]
    if facts["alerts_by_kind"]:
        kinds = ", ".join(
            f"{kind.replace('_', ' ')} {n}" for kind, n in sorted(facts["alerts_by_kind"].items())
        )
        lines.append(f"By kind: {kinds}.")
        lines.append("Most urgent:")
        lines += [
            f"- [{u['severity']}]{' new:' if u['new'] else ''} {u['message']} — {u['explanation']}"
            for u in facts["most_urgent"][:URGENT_SHOWN]
        ]
    else:
        lines.append("Nothing unusual found.")
    for name, error in sorted(facts["failed_checks"].items()):
        lines.append(f"The {name} check failed ({error}); its alerts were left as they were.")
    return "\n".join(lines)


def llm_digest(model: BaseChatModel, facts: dict) -> str | None:
    """The model's digest, or None when it fails or says nothing (the caller then uses the template)."""
    return written_by_model(model, "anomaly_digest", facts, MAX_DIGEST_CHARS)


def _urgent(finding: Finding, new: bool) -> dict:
    return {"new": new, "kind": finding.kind.value, "severity": finding.severity.value, "score": round(finding.score, 3),
            "message": finding.message, "explanation": finding.details.get("explanation", "")}  # fmt: skip
