"""Seeded generation of order-entry documents with their ground truth.

`python -m evals.order_entry.generate --count 120 --seed 7 --out DIR [--scans N] [--letters N]` writes
each document as DIR/NAME.pdf with DIR/NAME.json (its truth: an ExtractedDocument plus the expected SKU
per line, the language, layout and kind), and DIR/catalogue.csv for `oms catalog import`."""

import argparse
import json
import random
from pathlib import Path

from evals.order_entry import letters, scans
from evals.order_entry.catalogue import Product, catalogue, write_csv
from evals.order_entry.render import render
from evals.order_entry.sample import Sample
from evals.order_entry.sampling import draw
from evals.order_entry.spec import Spec, truth
from evals.order_entry.vocabulary import LANGUAGES


def generate(count: int = 120, seed: int = 7, scanned: int = 0, letter_count: int = 0) -> list[Sample]:
    """`count` text documents, then `scanned` of them again as image-only scans, then free-text letters."""
    products = catalogue(seed)
    rng = random.Random(seed)
    texts = [_text_sample(draw(rng, products, LANGUAGES[i % len(LANGUAGES)], i), i) for i in range(count)]
    scanned_samples = [scans.scanned(sample, rng) for sample in texts[:scanned]]
    letter_samples = [
        letters.letter(rng, products, LANGUAGES[i % len(LANGUAGES)], i) for i in range(letter_count)
    ]
    return texts + scanned_samples + letter_samples


def _text_sample(spec: Spec, index: int) -> Sample:
    skus = [line.product.sku for line in spec.lines]
    name = f"{index:04d}-{spec.style.language}-{spec.kind}"
    return Sample(name, render(spec), truth(spec), skus, spec.style.language, spec.layout, "text")


def write(samples: list[Sample], products: list[Product], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    write_csv(products, out / "catalogue.csv")
    for sample in samples:
        (out / f"{sample.name}.pdf").write_bytes(sample.pdf)
        (out / f"{sample.name}.json").write_text(
            json.dumps(sample.truth_json(), indent=1, ensure_ascii=False)
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scans", type=int, default=0, help="how many text documents to rasterise as scans")
    parser.add_argument("--letters", type=int, default=0, help="free-text letters to add")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    samples = generate(args.count, args.seed, args.scans, args.letters)
    write(samples, catalogue(args.seed), args.out)
    print(f"{len(samples)} documents and catalogue.csv written to {args.out}")


if __name__ == "__main__":
    main()
