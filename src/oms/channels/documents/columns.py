"""A line-item table's columns, found from its header row by their labels, and the assignment of a row's
words to them. Without ruling lines the header is all there is: text columns are left-aligned under their
label, numeric ones right-aligned, so a value belongs to the label it overlaps, else to the numeric
column whose right edge is nearest (numbers) or the text column it starts in (text)."""

from dataclasses import dataclass, replace

from oms.channels.documents.labels import column_labels
from oms.channels.documents.layout import Line, Word, split_phrases
from oms.channels.documents.numbers import is_number

NUMERIC = frozenset({"position", "quantity", "unit_price", "amount", "vat_rate", "discount_rate"})
UNPLACED = "unplaced"
_NEAREST_NUMERIC = 60.0  # points: farther from every numeric column, a number is text (a size in a name)


@dataclass
class Column:
    kind: str
    x0: float
    x1: float

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


def header_columns(line: Line) -> list[Column] | None:
    """The columns when the line is a table header: at least three labelled columns, one of them a
    quantity, a price or an amount, and one a code or a description; None otherwise."""
    columns, unknown = _labelled_columns(line)
    kinds = {column.kind for column in columns}
    if len(columns) < 3 or unknown > 2 or not kinds & {"quantity", "unit_price", "amount"}:
        return None
    if not kinds & {"code", "description", "your_code", "our_code"}:
        return None
    return _settle_codes(columns)


def _labelled_columns(line: Line) -> tuple[list[Column], int]:
    """The columns the header's labels name, and how many of its words are no label. A label never runs
    over a column gap; the words after a label in its run belong to it ("Amount (EUR)"), and two labels
    of one kind in a run are one column ("Description of goods")."""
    columns: list[Column] = []
    unknown = 0
    for phrase in line.phrases:
        phrase = [part for word in phrase for part in _unglued(word)]
        index, labelled = 0, False
        while index < len(phrase):
            match = column_labels().match(phrase[index:])
            if match:
                taken = phrase[index : index + match.words]
                _add(columns, Column(match.kind, taken[0].x0, taken[-1].x1), same_run=labelled)
                index, labelled = index + match.words, True
                continue
            if labelled:
                columns[-1].x1 = phrase[index].x1
            elif index == 0:
                unknown += 1  # a run that starts with no label: a column not understood
            index += 1
    return columns, unknown


def _unglued(word: Word) -> list[Word]:
    """Two labels printed so close that they read as one word ("PreisGesamtpreis"), split where both
    halves are labels, each half given its share of the width."""
    if column_labels().match([word]):
        return [word]
    if "/" in word.text and column_labels().match([word.text.split("/")[0]]):
        return [replace(word, text=word.text.split("/")[0])]  # "Preis/ME": a price per unit
    for cut in range(2, len(word.text) - 1):
        if column_labels().match([word.text[:cut]]) and column_labels().match([word.text[cut:]]):
            middle = word.x0 + (word.x1 - word.x0) * cut / len(word.text)
            return [
                replace(word, text=word.text[:cut], x1=middle),
                replace(word, text=word.text[cut:], x0=middle),
            ]
    return [word]


def _add(columns: list[Column], column: Column, same_run: bool) -> None:
    if same_run and columns[-1].kind == column.kind:
        columns[-1].x1 = column.x1
    else:
        columns.append(column)


def _settle_codes(columns: list[Column]) -> list[Column]:
    """Two code columns ("Item", "Item code"): the first is the line's position number; two quantity
    columns: the second is the unit. A table without a description column describes its lines in the
    code column ("Item | Qty | Price")."""
    quantities = [column for column in columns if column.kind == "quantity"]
    if len(quantities) > 1:
        quantities[1].kind = "unit"  # "Qty | Units"
    codes = [column for column in columns if column.kind == "code"]
    if len(codes) > 1:
        codes[0].kind = "position"
    if not any(column.kind == "description" for column in columns) and codes:
        codes[-1].kind = "description"
    return columns


def assign(words: list[Word], columns: list[Column]) -> dict[str, list[Word]]:
    """The row's words by column kind (UNPLACED: under no column, as under a header label not understood).
    A run of words stays together unless it spans two columns."""
    cells: dict[str, list[Word]] = {}
    for phrase in split_phrases(words):
        spanned = {id(c) for w in phrase for c in columns if _overlap(w, c) > 0}
        for part in [[w] for w in phrase] if len(spanned) > 1 else [phrase]:
            column = _column_of(part, columns)
            cells.setdefault(column.kind if column else UNPLACED, []).extend(part)
    return cells


def _column_of(words: list[Word], columns: list[Column]) -> Column | None:
    span = Word("", words[0].x0, words[-1].x1, 0, 0, 0)
    overlapping = max(columns, key=lambda column: _overlap(span, column))
    if _overlap(span, overlapping) > 0:
        return overlapping
    if is_number(" ".join(w.text for w in words)):
        numeric = [column for column in columns if column.numeric]
        nearest = min(numeric, key=lambda column: abs(column.x1 - span.x1), default=None)
        if nearest is not None and abs(nearest.x1 - span.x1) <= _NEAREST_NUMERIC:
            return nearest
    text = [column for column in columns if not column.numeric and column.x0 <= span.x0 + 2]
    return text[-1] if text else None


def _overlap(word: Word, column: Column) -> float:
    return min(word.x1, column.x1) - max(word.x0, column.x0)
