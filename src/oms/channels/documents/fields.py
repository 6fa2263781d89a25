"""Header fields found by their labels: a label starts a phrase (or ends with a colon inside one), and its
value is the rest of that phrase, else the next phrase to its right on the line, else the phrase just
below it. Every label found is kept, with where it stands, for the address blocks and the language."""

from dataclasses import dataclass

from oms.channels.documents.labels import LabelMatch, Vocabulary, header_labels
from oms.channels.documents.layout import Line, Word, phrase_text

_PUNCTUATION = " :#.-–"


@dataclass(frozen=True)
class Labelled:
    kind: str
    languages: frozenset[str]
    label: list[Word]
    value: str
    line_index: int

    @property
    def x0(self) -> float:
        return self.label[0].x0

    @property
    def x1(self) -> float:
        return self.label[-1].x1


def find_labelled(lines: list[Line], vocabulary: Vocabulary | None = None) -> list[Labelled]:
    """Every label on the lines with its value, top to bottom and left to right."""
    vocabulary = vocabulary or header_labels()
    found = []
    for index, line in enumerate(lines):
        for position, phrase in enumerate(line.phrases):
            for start, end, match in _labels_in(phrase, vocabulary):
                value = " ".join(w.text for w in phrase[start + match.words : end]).strip(_PUNCTUATION)
                if not value and end == len(phrase):
                    value = _value_beside(lines, index, position, phrase[start], vocabulary)
                found.append(
                    Labelled(match.kind, match.languages, phrase[start : start + match.words], value, index)
                )
    return found


def _labels_in(phrase: list[Word], vocabulary: Vocabulary) -> list[tuple[int, int, LabelMatch]]:
    """(start, end of its value, match) for each label in the phrase: one at its start, others only when
    they end with a colon ("Order No: 12  Date: 3/4/2026" printed as one run of words)."""
    starts = []
    for start in range(len(phrase)):
        match = vocabulary.match(phrase[start:])
        if match is None or (start and not phrase[start + match.words - 1].text.endswith(":")):
            continue
        if not starts or start >= starts[-1][0] + starts[-1][1].words:
            starts.append((start, match))
    ends = [start for start, _ in starts[1:]] + [len(phrase)] if starts else []
    return [(start, end, match) for (start, match), end in zip(starts, ends, strict=True)]


def _value_beside(lines: list[Line], index: int, position: int, label: Word, vocabulary: Vocabulary) -> str:
    """The next phrase on the label's line, unless it heads a column of its own: in a row of labels
    ("Order no.  Date  Your reference") each value is under its label."""
    line = lines[index]
    if position + 1 < len(line.phrases):
        beside = line.phrases[position + 1]
        below = _value_below(lines, index, label, vocabulary)
        looks_like_label = not any(c.isdigit() for w in beside for c in w.text)
        in_row = looks_like_label and below and _value_below(lines, index, beside[0], vocabulary)
        if vocabulary.match(beside) is None and not in_row:
            return phrase_text(beside).strip(_PUNCTUATION)
    return _value_below(lines, index, label, vocabulary)


def _value_below(lines: list[Line], index: int, label: Word, vocabulary: Vocabulary) -> str:
    """The phrase starting under the label on the lines just below (a line of another column may come
    between), when the header is a row of labels."""
    line = lines[index]
    for below in lines[index + 1 : index + 3]:
        if below.top - line.bottom > 2.5 * line.height:
            return ""
        for phrase in below.phrases:
            if abs(phrase[0].x0 - label.x0) <= 6:
                return "" if vocabulary.match(phrase) else phrase_text(phrase).strip(_PUNCTUATION)
    return ""
