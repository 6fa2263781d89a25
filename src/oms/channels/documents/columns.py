"""A line-item table's columns, found from its header row by their labels, and the assignment of a row's
words to them. Without ruling lines the header is all there is: text columns are left-aligned under their
label, numeric ones right-aligned, so a value belongs to the label it overlaps, else to the numeric
column whose right edge is nearest (numbers) or the text column it starts in (text)."""

from dataclasses import dataclass

from oms.channels.documents.currencies import currency_of
from oms.channels.documents.labels import column_labels
from oms.channels.documents.layout import Line, Word, split_phrases
from oms.channels.documents.numbers import is_number

NUMERIC = frozenset({"position", "quantity", "unit_price", "amount", "vat_rate", "discount_rate"})
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
    columns, unknown = _labelled_columns(line.words)
    kinds = {column.kind for column in columns}
    if len(columns) < 3 or unknown > 1 or not kinds & {"quantity", "unit_price", "amount"}:
        return None
    if not kinds & {"code", "description"}:
        return None
    return _settle_codes(columns)


def _labelled_columns(words: list[Word]) -> tuple[list[Column], int]:
    columns: list[Column] = []
    unknown, index = 0, 0
    while index < len(words):
        match = column_labels().match(words[index:])
        if match:
            taken = words[index : index + match.words]
            columns.append(Column(match.kind, taken[0].x0, taken[-1].x1))
            index += match.words
            continue
        if columns and currency_of(words[index].text.strip("()[]")):  # "Amount (EUR)"
            columns[-1].x1 = words[index].x1
        else:
            unknown += 1
        index += 1
    return columns, unknown


def _settle_codes(columns: list[Column]) -> list[Column]:
    """Two code columns ("Item", "Item code"): the first is the line's position number. A table without a
    description column describes its lines in the code column ("Item | Qty | Price")."""
    codes = [column for column in columns if column.kind == "code"]
    if len(codes) > 1:
        codes[0].kind = "position"
    if not any(column.kind == "description" for column in columns) and codes:
        codes[-1].kind = "description"
    return columns


def assign(words: list[Word], columns: list[Column]) -> dict[str, list[Word]]:
    """The row's words by column kind. A run of words stays together unless it spans two columns."""
    cells: dict[str, list[Word]] = {}
    for phrase in split_phrases(words):
        spanned = {id(c) for w in phrase for c in columns if _overlap(w, c) > 0}
        for part in [[w] for w in phrase] if len(spanned) > 1 else [phrase]:
            column = _column_of(part, columns)
            if column is not None:
                cells.setdefault(column.kind, []).extend(part)
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
