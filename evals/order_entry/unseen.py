"""How the extractor does on wordings the generator never prints: the same documents with the column
titles, or the PO-number and ship-to labels, swapped for common ones missing from vocabulary.py. The
extractor was written against vocabulary.py, so this is the nearest thing here to documents in the wild.

`PYTHONPATH=. .venv/bin/python -m evals.order_entry.unseen [--count 60] [--seed 5]` prints one line per
swap. Keep these wordings out of vocabulary.py and out of the extractor's tuning, or the probe says
nothing."""

import argparse
import copy
from collections.abc import Iterator
from contextlib import contextmanager

from evals.order_entry import vocabulary
from evals.order_entry.generate import generate
from evals.order_entry.report import figures
from evals.order_entry.run import evaluate, load_extractor

SWAPS = {
    "column titles": ("COLUMNS", {
        "code": {"en": ["Part #"], "fr": ["Article"], "de": ["Teilenr."], "nl": ["Code"],
                 "es": ["Art."], "it": ["Art."]},
        "qty": {"en": ["Units"], "fr": ["Nb"], "de": ["Stück"], "nl": ["Stuks"], "es": ["Uds."],
                "it": ["Pezzi"]},
        "price": {"en": ["Each"], "fr": ["PU"], "de": ["Stückpreis"], "nl": ["Eenheidsprijs"],
                  "es": ["P.V.P."], "it": ["Prezzo un."]},
        "amount": {"en": ["Extended"], "fr": ["Total ligne"], "de": ["Wert"], "nl": ["Regeltotaal"],
                   "es": ["Total línea"], "it": ["Valore"]},
    }),
    "PO-number labels": ("NUMBER_LABELS", {
        "purchase_order": {"en": ["Our ref."], "fr": ["Notre réf."], "de": ["Unser Zeichen"],
                           "nl": ["Onze ref."], "es": ["Nuestra ref."], "it": ["Ns. rif."]},
    }),
    "ship-to labels": ("LABELS", {
        "ship_to": {"en": ["Deliver to"], "fr": ["Lieu de livraison"], "de": ["Warenempfänger"],
                    "nl": ["Afleveren bij"], "es": ["Lugar de entrega"], "it": ["Destinazione merce"]},
    }),
}  # fmt: skip


@contextmanager
def swapped(table: str, wordings: dict) -> Iterator[None]:
    """vocabulary.TABLE with `wordings` in place of its own for those keys, until the block ends."""
    words = getattr(vocabulary, table)
    kept = copy.deepcopy(words)
    words.update(wordings)
    try:
        yield
    finally:
        words.clear()
        words.update(kept)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    extract = load_extractor()

    def measure(title: str) -> None:
        print(f"{title:<28} {figures(evaluate(generate(args.count, args.seed), extract)).summary()}")

    measure("as generated")
    for name, (table, wordings) in SWAPS.items():
        with swapped(table, wordings):
            measure(f"unseen {name}")


if __name__ == "__main__":
    main()
