"""Who the document is from and for: the bill-to and ship-to blocks found by their labels, and the buyer
(the bill-to, a "customer"/"sold to" block, or the letterhead of a purchase order without a bill-to)."""

from dataclasses import replace

from oms.channels.documents.addresses import parse_party
from oms.channels.documents.blocks import block_lines, lines_under
from oms.channels.documents.dates import find_date
from oms.channels.documents.fields import Labelled
from oms.channels.documents.labels import header_labels, title_labels
from oms.channels.documents.layout import Page, phrase_text
from oms.channels.documents.model import Party

_LETTERHEAD_LINES = 6


def labelled_party(page: Page, labels: list[Labelled], kind: str, language: str | None) -> Party | None:
    label = next((label for label in labels if label.kind == kind), None)
    if label is None:
        return None
    blocks = [other for other in labels if other.kind in ("bill_to", "ship_to", "buyer", "supplier")]
    lines = block_lines(page.lines, label, blocks, page.width)
    return parse_party(lines, language) if lines else None


def ship_to_party(page: Page, labels: list[Labelled], language: str | None) -> Party | None:
    """The block under a ship-to label; else under a delivery label whose value is no date ("Livraison :"
    over a name heads the delivery address)."""
    addressed = [
        replace(label, kind="ship_to") if label.kind == "delivery_date" and not find_date(label.value) else label
        for label in labels
    ]
    return labelled_party(page, labels, "ship_to", language) or labelled_party(page, addressed, "ship_to", language)


def letterhead_party(page: Page, language: str | None) -> Party:
    """The sender: the largest print among the first lines that is no title and no label, with the
    address printed under it."""
    candidates = []
    for index, line in enumerate(page.lines[:_LETTERHEAD_LINES]):
        for position, phrase in enumerate(line.phrases):
            if title_labels().match(phrase) or header_labels().match(phrase):
                continue
            after = line.phrases[position + 1][0].x0 if position + 1 < len(line.phrases) else page.width
            size = max(w.size for w in phrase)
            candidates.append((-size, phrase[0].top, phrase[0].x0, index, after, phrase_text(phrase)))
    if not candidates:
        return Party()
    _, _, x0, index, right, name = min(candidates)
    return parse_party([name, *lines_under(page.lines, index, (x0,), right)], language)
