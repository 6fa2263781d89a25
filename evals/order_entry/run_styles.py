"""Runs the document extractor on the hand-coded ERP styles (evals/order_entry/styles) and prints the same
figures as run.py, per style, with each document's mistakes.

`PYTHONPATH=. .venv/bin/python -m evals.order_entry.run_styles [--out DIR]` exits 1 when the goals are
missed, 2 when the extractor cannot be imported."""

import argparse
import sys
from pathlib import Path

from evals.order_entry.report import Result, figures, goals_met, print_report
from evals.order_entry.run import evaluate, load_extractor
from evals.order_entry.styles import samples


def print_mistakes(results: list[Result]) -> None:
    print("== each document")
    for result in results:
        score = result.score
        print(f"  {result.sample.name:<16} fields {score.field_accuracy:.2f}  F1 {score.line_f1:.2f}")
        for mistake in score.mistakes:
            print(f"      {mistake}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write each style's PDF and truth here")
    args = parser.parse_args(argv)
    documents = samples()
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        for sample in documents:
            (args.out / f"{sample.name}.pdf").write_bytes(sample.pdf)
    results = evaluate(documents, load_extractor())
    print_report(results)
    print_mistakes(results)
    return 0 if goals_met(figures(results)) else 1


if __name__ == "__main__":
    sys.exit(main())
