"""Figures over many scored documents, and the printed report: per kind of document (text PDFs, scans,
letters), by field, by language, by layout and page count, and the worst documents with what was wrong."""

import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from typing import TextIO

from evals.order_entry.sample import Sample
from evals.order_entry.score import FIELDS, DocumentScore, f1

GOAL = 0.95  # field accuracy and line F1 on text PDFs
SECONDS_PER_PAGE = 1.0  # offline, the slowest page but a few (p95)


@dataclass
class Result:
    sample: Sample
    pages: int
    seconds: float
    score: DocumentScore
    error: str | None = None

    @property
    def seconds_per_page(self) -> float:
        return self.seconds / max(self.pages, 1)


@dataclass(frozen=True)
class Figures:
    documents: int
    pages: int
    field_accuracy: float
    precision: float
    recall: float
    f1: float
    per_page: list[float]

    @property
    def p95(self) -> float:
        ordered = sorted(self.per_page) or [0.0]
        return ordered[int(0.95 * (len(ordered) - 1))]

    def timing(self) -> str:
        mean, slowest = statistics.fmean(self.per_page or [0.0]), max(self.per_page or [0.0])
        return f"s/page mean {mean:.3f} p95 {self.p95:.3f} max {slowest:.3f}"

    def summary(self) -> str:
        return (
            f"{self.documents:4d} docs {self.pages:4d} pages  fields {self.field_accuracy:.3f}  lines "
            f"P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}  {self.timing()}"
        )


def figures(results: list[Result]) -> Figures:
    fields = [ok for r in results for ok in r.score.fields.values()]
    matched = sum(r.score.matched for r in results)
    extracted = sum(r.score.extracted for r in results)
    expected = sum(r.score.expected for r in results)
    return Figures(
        len(results),
        sum(r.pages for r in results),
        sum(fields) / len(fields) if fields else 0.0,
        matched / extracted if extracted else 0.0,
        matched / expected if expected else 0.0,
        f1(matched, extracted, expected),
        [r.seconds_per_page for r in results],
    )


def goals_met(text: Figures) -> bool:
    return text.field_accuracy >= GOAL and text.f1 >= GOAL and text.p95 < SECONDS_PER_PAGE


def print_report(results: list[Result], out: TextIO | None = None) -> None:
    out = out or sys.stdout  # looked up now, so a redirected stdout gets the report
    kinds = _grouped(results, lambda r: [r.sample.kind])
    for kind, group in kinds.items():
        print(f"== {kind}: {figures(group).summary()}", file=out)
        print("  by field: " + ", ".join(f"{name} {_field(group, name):.2f}" for name in FIELDS), file=out)
        for title, key in (("language", _language), ("layout", _layout), ("pages", _pages)):
            print(f"  by {title}:", file=out)
            for value, members in sorted(_grouped(group, key).items()):
                print(f"    {value:<20} {figures(members).summary()}", file=out)
        _print_worst(group, out)
    if "text" in kinds:
        met = goals_met(figures(kinds["text"]))
        print(
            f"goals on text PDFs (fields and line F1 >= {GOAL}, p95 < {SECONDS_PER_PAGE} s/page): "
            f"{'met' if met else 'NOT met'}",
            file=out,
        )


def _print_worst(results: list[Result], out, count: int = 5) -> None:
    worst = sorted(results, key=lambda r: r.score.field_accuracy + r.score.line_f1)[:count]
    print(f"  worst {len(worst)}:", file=out)
    for r in worst:
        print(
            f"    {r.sample.name} ({r.sample.layout}, {r.pages} p): fields {r.score.field_accuracy:.2f} "
            f"F1 {r.score.line_f1:.2f}{f' ERROR {r.error}' if r.error else ''}",
            file=out,
        )
        for mistake in r.score.mistakes[:8]:
            print(f"        {mistake}", file=out)


def _field(results: list[Result], name: str) -> float:
    return sum(r.score.fields.get(name, False) for r in results) / len(results)


def _language(result: Result) -> list[str]:
    return [result.sample.language]


def _layout(result: Result) -> list[str]:
    """Each feature of the layout (arrangement of the parties, ruling, column order) is a group."""
    return result.sample.layout.split()


def _pages(result: Result) -> list[str]:
    return [f"{min(result.pages, 3)}{'+' if result.pages >= 3 else ''} page(s)"]


def _grouped(results: list[Result], key) -> dict[str, list[Result]]:
    groups = defaultdict(list)
    for result in results:
        for value in key(result):
            groups[value].append(result)
    return dict(groups)
