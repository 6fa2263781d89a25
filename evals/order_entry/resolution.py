"""How often a document's line resolves to the right catalogue product, by what the line prints: our SKU
(in any case), the barcode, or only a description (the name as printed, the same read sloppily: lower
case, no punctuation, and shortened: no selling details, 'pack of 10' as '10 pcs'). The generated catalogue (evals.order_entry.catalogue) is loaded through the
catalogue service, so its vectors are the ones production writes; lines go through resolve_document in
documents of LINES_PER_DOCUMENT lines on a scratch database.

With --documents N, also the whole path on N generated text PDFs (evals.order_entry.generate): read by
the layout extractor, then resolved; a line is right when its resolved SKU, quantity and unit price are.

    PYTHONPATH=. .venv/bin/python -m evals.order_entry.resolution --size 300 --documents 60
"""

import argparse
import random
import re
import time
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy import Engine

from evals.order_entry.catalogue import DETAILS, Product, catalogue
from evals.order_entry.generate import generate
from evals.order_entry.sample import Sample
from evals.order_entry.score import f1
from evals.perf.scratch_database import scratch_database
from oms.channels.documents.extract import extract_document
from oms.channels.documents.model import DocumentFailure, ExtractedDocument, ExtractedLine
from oms.db.engine import make_engine
from oms.services.actor import SYSTEM
from oms.services.catalog import ProductUpsert, upsert_products
from oms.services.demo.products import build_products
from oms.services.order_entry_resolution import resolve_document
from oms.services.uow import UnitOfWork

LINES_PER_DOCUMENT = 10
PRINTED: dict[str, Callable[[Product, random.Random], ExtractedLine]] = {
    "sku": lambda p, rng: ExtractedLine(code=p.sku.lower() if rng.random() < 0.5 else p.sku),
    "barcode": lambda p, rng: ExtractedLine(code=p.barcode),
    "description": lambda p, rng: ExtractedLine(description=p.name),
    "description, sloppy": lambda p, rng: ExtractedLine(description=re.sub(r"[^\w\s]", "", p.name).lower()),
    "description, shortened": lambda p, rng: ExtractedLine(description=_shortened(p.name)),
}


def _shortened(name: str) -> str:
    """The name without its selling details, the pack as a count: 'Gel pen, blue, pack of 10 ...' -> 'Gel
    pen blue 10 pcs'."""
    kept = name.removesuffix(next((d for d in DETAILS if d and name.endswith(d)), "")).strip()
    return re.sub(r", pack of (\d+)", r" \1 pcs", kept).replace(",", "")


def load(engine: Engine, products: list[Product]) -> None:
    items = [ProductUpsert(sku=p.sku, name=p.name, description=getattr(p, "description", p.name),
                           unit_price=p.price, currency="EUR", barcode=p.barcode) for p in products]  # fmt: skip
    upsert_products(UnitOfWork(engine), SYSTEM, items)


def measure(engine: Engine, products: list[Product], printed: str, seed: int) -> tuple[float, float, float]:
    """(share right, share left to staff, milliseconds per line) of lines printed one way; the rest are
    wrong: a product chosen that is not the one meant."""
    rng = random.Random(f"{printed}-{seed}")
    lines = [PRINTED[printed](p, rng).model_copy(update={"quantity": Decimal(1)}) for p in products]
    resolved, started = [], time.perf_counter()
    with engine.connect() as conn:
        for start in range(0, len(lines), LINES_PER_DOCUMENT):
            document = ExtractedDocument(lines=lines[start : start + LINES_PER_DOCUMENT])
            resolved += resolve_document(conn, document).lines
    seconds = time.perf_counter() - started
    right = sum(line.sku == product.sku for line, product in zip(resolved, products, strict=True))
    unresolved = sum(line.sku is None for line in resolved)
    return right / len(products), unresolved / len(products), 1000 * seconds / len(products)


def measure_documents(engine: Engine, samples: list[Sample]) -> tuple[float, float, float]:
    """(line F1 after resolution, seconds per page to read, seconds per page to resolve)."""
    matched = extracted = expected = pages = 0
    reading = resolving = 0.0
    with engine.connect() as conn:
        for sample in samples:
            started = time.perf_counter()
            try:
                document = extract_document(sample.pdf)
            except DocumentFailure:
                document = ExtractedDocument()
            read = time.perf_counter()
            lines = resolve_document(conn, document).lines
            reading, resolving = reading + read - started, resolving + time.perf_counter() - read
            truth = [
                (sku, t.quantity, t.unit_price)
                for sku, t in zip(sample.skus, sample.truth.lines, strict=True)
            ]
            got = [(line.sku, line.quantity, line.unit_price) for line in lines]
            matched += sum(1 for line in truth if line in got)
            extracted, expected, pages = extracted + len(got), expected + len(truth), pages + document.pages
    return f1(matched, extracted, expected), reading / pages, resolving / pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=300, help="Products in the catalogue, each ordered once")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--documents", type=int, default=0, help="Generated text PDFs to read and resolve")
    parser.add_argument("--demo", action="store_true", help="The demo retailer's catalogue instead (sizes and"
                        " colours of each model, long descriptions); no --documents")  # fmt: skip
    args = parser.parse_args(argv)
    # The documents order from catalogue(seed)'s 300 products; a larger catalogue starts with the same ones.
    products = catalogue(args.seed, max(args.size, 300) if args.documents else args.size)
    if args.demo:
        products, args.documents = build_products(), 0
    with scratch_database("resolution") as url:
        engine = make_engine(url, pool_size=1)
        try:
            load(engine, products)
            print(f"{len(products)} products, each ordered once per way of printing it")
            print(f"{'printed':<24}{'right':>7}{'to staff':>10}{'wrong':>7}{'ms/line':>9}")
            for printed in PRINTED:
                right, unresolved, ms = measure(engine, products, printed, args.seed)
                print(
                    f"{printed:<24}{right:>7.3f}{unresolved:>10.3f}{1 - right - unresolved:>7.3f}{ms:>9.2f}"
                )
            if args.documents:
                line_f1, read, resolved = measure_documents(engine, generate(args.documents, args.seed))
                print(
                    f"{args.documents} generated PDFs read and resolved: line F1 {line_f1:.3f} (SKU, quantity"
                    f" and unit price), {read:.3f} s/page to read, {resolved:.3f} s/page to resolve"
                )
        finally:
            engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
