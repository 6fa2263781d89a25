"""Finding labels at the start of a run of words, accent- and case-insensitively, in the six languages:
a vocabulary maps each normalised label to its kind (a field, a column, a total) and its languages."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from oms.channels.documents import header_vocabulary, table_vocabulary
from oms.channels.documents.layout import Word

_TOKEN = re.compile(r"[a-z0-9]+|[#%]")
_NUMBER_SIGN = re.compile(r"\b[Nn]\s*\.?\s*[º°]")  # N°, Nº, N.º: "number"


def normalise(text: str) -> str:
    """Lower case, accents dropped, N° and Nº read as "no", punctuation as spaces; "#" and "%" kept."""
    text = _NUMBER_SIGN.sub("no", text)
    folded = unicodedata.normalize("NFKD", text.replace("°", "o").casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_TOKEN.findall(plain))


@dataclass(frozen=True)
class LabelMatch:
    kind: str
    languages: frozenset[str]
    words: int  # how many of the words the label took; the value starts after them


class Vocabulary:
    def __init__(self, kinds: dict[str, dict[str, str]]):
        self._labels: dict[tuple[str, ...], tuple[str, set[str]]] = {}
        for kind, by_language in kinds.items():
            for language, labels in by_language.items():
                for label in labels.split("|"):
                    known = self._labels.setdefault(tuple(label.split()), (kind, set()))
                    known[1].add(language)
        self._longest = max(len(label) for label in self._labels)

    def match(self, words: list[Word] | list[str]) -> LabelMatch | None:
        """The longest label the words start with, ending at a word's end."""
        texts = [w if isinstance(w, str) else w.text for w in words]
        tokens: list[str] = []
        best = None
        for count, text in enumerate(texts[: self._longest], start=1):
            tokens += normalise(text).split()
            found = self._labels.get(tuple(tokens))
            if found:
                best = LabelMatch(found[0], frozenset(found[1]), count)
            if len(tokens) >= self._longest:
                break
        return best

    def match_text(self, text: str) -> LabelMatch | None:
        return self.match(text.split())


@cache
def header_labels() -> Vocabulary:
    return Vocabulary(header_vocabulary.HEADER_FIELDS)


@cache
def column_labels() -> Vocabulary:
    return Vocabulary(table_vocabulary.COLUMNS)


@cache
def total_labels() -> Vocabulary:
    return Vocabulary(table_vocabulary.TOTALS)


@cache
def title_labels() -> Vocabulary:
    return Vocabulary(table_vocabulary.TITLES)
