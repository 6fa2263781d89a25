"""Runs the document extractor on generated documents and prints how right it was and how fast.

`PYTHONPATH=. .venv/bin/python -m evals.order_entry.run [--count 120] [--seed 7] [--scans N] [--letters N]
[--out DIR] [--llm]` writes the documents (to a temporary folder unless --out), extracts each one (with
--llm, then the configured language model refines), prints the report and exits 1 when the text PDFs miss
the goals, 2 when the extractor cannot be imported or --llm has no model."""

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium

from evals.order_entry.catalogue import catalogue
from evals.order_entry.generate import generate, write
from evals.order_entry.report import Result, figures, goals_met, print_report
from evals.order_entry.sample import Sample
from evals.order_entry.score import DocumentScore, score
from oms.channels.documents.model import DocumentFailure, ExtractedDocument

Extractor = Callable[[bytes], ExtractedDocument]


def load_extractor() -> Extractor:
    try:
        from oms.channels.documents.extract import extract_document
    except ImportError as error:
        print(f"the extractor cannot be imported (oms.channels.documents.extract): {error}", file=sys.stderr)
        sys.exit(2)
    return extract_document


def with_llm(extract: Extractor) -> Extractor:
    """The layout reader, then the configured language model where it found the document hard (as
    `oms entry extract` does); exits 2 when no model is configured."""
    from agents.order_entry import configured_refiner
    from oms.channels.documents.extract import document_text

    refine = configured_refiner()
    if refine is None:
        print("no language model configured (OMS_LLM_BASE_URL, OMS_LLM_MODEL)", file=sys.stderr)
        sys.exit(2)
    return lambda content: refine(document_text(content), extract(content))


def evaluate(samples: list[Sample], extract: Extractor) -> list[Result]:
    return [run_one(sample, extract) for sample in samples]


def run_one(sample: Sample, extract: Extractor) -> Result:
    pages = _page_count(sample.pdf)
    started = time.perf_counter()
    try:
        found = extract(sample.pdf)
    except DocumentFailure as failure:
        return _failed(sample, pages, time.perf_counter() - started, f"{failure.code}: {failure.message}")
    except Exception as error:  # noqa: BLE001 - the report shows what broke instead of stopping the run
        return _failed(sample, pages, time.perf_counter() - started, f"{type(error).__name__}: {error}")
    seconds = time.perf_counter() - started
    return Result(sample, pages, seconds, score(sample.truth, sample.skus, found))


def _page_count(content: bytes) -> int:
    document = pdfium.PdfDocument(content)
    try:
        return len(document)
    finally:
        document.close()


def _failed(sample: Sample, pages: int, seconds: float, error: str) -> Result:
    nothing = score(sample.truth, sample.skus, ExtractedDocument())
    return Result(
        sample, pages, seconds, DocumentScore(nothing.fields, 0, 0, nothing.expected, [error]), error
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=120, help="text PDFs")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scans", type=int, default=0, help="of those, how many to score again as scans")
    parser.add_argument("--letters", type=int, default=6, help="free-text letters, scored apart")
    parser.add_argument("--out", type=Path, help="keep the documents and their truth here")
    parser.add_argument("--llm", action="store_true", help="let the configured language model refine")
    args = parser.parse_args(argv)
    extract = with_llm(load_extractor()) if args.llm else load_extractor()
    samples = generate(args.count, args.seed, args.scans, args.letters)
    out = args.out or Path(tempfile.mkdtemp(prefix="order-entry-eval-"))
    write(samples, catalogue(args.seed), out)
    results = evaluate(samples, extract)
    print(f"order entry evaluation: seed {args.seed}, documents in {out}")
    print_report(results)
    text = [r for r in results if r.sample.kind == "text"]
    return 0 if not text or goals_met(figures(text)) else 1


if __name__ == "__main__":
    sys.exit(main())
