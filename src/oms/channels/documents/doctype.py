"""What a document is (purchase order, invoice or something else) from its title, and which of the six
languages its labels are in."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from oms.channels.documents.fields import Labelled
from oms.channels.documents.labels import LabelMatch, normalise, title_labels
from oms.channels.documents.layout import Line, Word

_TITLE_WORDS = frozenset(
    {"", "#", "no", "nr", "n", "num", "numero", "number", "del", "du", "vom", "of", "van", "dated"}
)
_INVOICE_NUMBER_WORDS = ("invoice", "rechnung", "factur", "factuur", "fattura")


@dataclass(frozen=True)
class Title:
    kind: str
    languages: frozenset[str] = frozenset()
    number: str | None = None  # printed with the title: "Purchase Order PO-1234", "Rechnung Nr. 2026-17"


def document_type(lines: list[Line], labels: list[Labelled]) -> Title:
    """The type a title says (the largest print on the first lines wins), else the document number's
    label (an invoice number makes an invoice)."""
    titles = []
    for line in lines[:12]:
        for phrase in line.phrases:
            match = title_labels().match(phrase)
            if match and _is_title(phrase, match):
                titles.append((max(w.size for w in phrase), match, phrase))
    if not titles:
        return Title(_type_from_number_label(labels))
    _, match, phrase = max(titles, key=lambda title: title[0])
    numbers = [w.text for w in phrase[match.words :] if any(c.isdigit() for c in w.text)]
    return Title(match.kind, match.languages, numbers[0] if numbers else None)


def _is_title(phrase: list[Word], match: LabelMatch) -> bool:
    """A title stands alone, or with a number and a date after it ("Purchase Order PO-1234", "Ordine
    d'acquisto N. 2026/118 del 05/11/2026"), not inside a sentence."""
    rest = phrase[match.words :]
    return len(rest) <= 4 and all(
        any(c.isdigit() for c in w.text) or normalise(w.text) in _TITLE_WORDS for w in rest
    )


def _type_from_number_label(labels: list[Labelled]) -> str:
    for label in labels:
        if label.kind == "document_number":
            text = " ".join(w.text for w in label.label).casefold()
            return "invoice" if any(word in text for word in _INVOICE_NUMBER_WORDS) else "purchase_order"
    return "other"


def document_language(matches: Iterable[frozenset[str]]) -> str | None:
    """The language most labels belong to (a label shared by languages counts for each)."""
    votes = Counter(language for languages in matches for language in languages)
    return votes.most_common(1)[0][0] if votes else None
