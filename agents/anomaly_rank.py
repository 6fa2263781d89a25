"""Ranking and explaining the checks' findings, before the anomaly agent raises them: one finding per
condition (dedupe key), the most urgent first (severity, then score), at most so many per kind, and a
sentence per finding saying what weighed most."""

from collections import Counter

from oms.domain.alerts import Severity
from oms.services.anomaly_models import Contribution, Finding

SEVERITY_ORDER = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
REASONS_SHOWN = 3


def urgency(finding: Finding) -> tuple:
    """Sort key: critical before warning before info, then the higher score, then the key (stable)."""
    return SEVERITY_ORDER[finding.severity], -finding.score, finding.dedupe_key


def rank(findings: list[Finding], top_per_kind: int) -> list[Finding]:
    """The most urgent finding of each condition, most urgent first, at most `top_per_kind` per kind."""
    best: dict[str, Finding] = {}
    for finding in findings:
        kept = best.get(finding.dedupe_key)
        if kept is None or urgency(finding) < urgency(kept):
            best[finding.dedupe_key] = finding
    per_kind: Counter = Counter()
    ranked = []
    for finding in sorted(best.values(), key=urgency):
        if per_kind[finding.kind] < top_per_kind:
            per_kind[finding.kind] += 1
            ranked.append(finding)
    return ranked


def explain(finding: Finding) -> str:
    """One sentence from the finding's strongest reasons towards the anomaly (those that move it by 0.01
    at least), e.g. 'Score 0.82, mostly: carrier region DHL/south (+0.21), node load 310 (+0.12).'"""
    reasons = sorted((c for c in finding.contributions if round(c.effect, 2) > 0), key=lambda c: -c.effect)
    if not reasons:
        return f"Score {finding.score:.2f}; no single reason stands out."
    return f"Score {finding.score:.2f}, mostly: {', '.join(map(_reason, reasons[:REASONS_SHOWN]))}."


def explained(finding: Finding) -> Finding:
    """The finding with its explanation in its details, where the alert keeps it."""
    return finding.model_copy(update={"details": {**finding.details, "explanation": explain(finding)}})


def _reason(contribution: Contribution) -> str:
    return f"{contribution.feature.replace('_', ' ')} {contribution.value} ({contribution.effect:+.2f})"
