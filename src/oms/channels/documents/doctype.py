"""What a document is (purchase order, invoice or something else) from its title, and which of the six
languages its labels are in."""

from collections import Counter
from collections.abc import Iterable

from oms.channels.documents.fields import Labelled
from oms.channels.documents.labels import LabelMatch, title_labels
from oms.channels.documents.layout import Line

_INVOICE_NUMBER_WORDS = ("invoice", "rechnung", "factur", "factuur", "fattura")


def document_type(lines: list[Line], labels: list[Labelled]) -> tuple[str, frozenset[str]]:
    """The type a title says (the largest print on the first lines wins), else the document number's
    label (an invoice number makes an invoice); and the title's languages."""
    titles = []
    for line in lines[:12]:
        for phrase in line.phrases:
            match = title_labels().match(phrase)
            if match and _is_title(phrase, match):
                titles.append((max(w.size for w in phrase), match))
    if titles:
        match = max(titles, key=lambda title: title[0])[1]
        return match.kind, match.languages
    return _type_from_number_label(labels), frozenset()


def _is_title(phrase, match: LabelMatch) -> bool:
    """A title stands alone, or with a number after it ("Purchase Order PO-1234"), not inside a sentence."""
    rest = phrase[match.words :]
    return len(rest) <= 2 and all(any(c.isdigit() for c in w.text) or w.text in "#:N°Nr.No." for w in rest)


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
