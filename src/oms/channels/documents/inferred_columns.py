"""A table whose header names its columns in words the vocabulary lacks ("Units", "Each", "Extended"):
the header is the line of three or more text runs above rows with numbers under it, and each run is typed
by what stands under it. Of the numeric columns, the three where one times another makes the third on
most rows are quantity, unit price and amount (the product the rightmost; the factor of whole numbers, or
else the left one, the quantity); of the text columns, the widest is the description and one of single
code-like words the code. Labels the vocabulary knows keep their kind."""

from decimal import Decimal
from itertools import permutations

from oms.channels.documents.columns import Column, assign
from oms.channels.documents.labels import column_labels, total_labels
from oms.channels.documents.layout import Line, Page, phrase_text
from oms.channels.documents.numbers import is_number, parse_number
from oms.channels.documents.rows import CENT, looks_like_code

ROWS = 15  # lines under a candidate header looked at
_AGREEING_ROWS = 1  # rows where quantity x price = amount, at least (an order may have one line)
_NUMERIC_SHARE = 0.6  # of a column's filled cells that are numbers, for it to be numeric
_FIGURES = ("quantity", "unit_price", "amount")


def inferred_header(page: Page, decimal_mark: str) -> tuple[int, list[Column]] | None:
    """The index of the header line and its typed columns, or None when no line heads such a table."""
    for index, line in enumerate(page.lines):
        if _header_like(line):
            columns = typed_columns(
                phrase_columns(line), page.lines[index + 1 : index + 1 + ROWS], decimal_mark
            )
            if columns:
                return index, columns
    return None


def _header_like(line: Line) -> bool:
    return len(line.phrases) >= 3 and not any(is_number(phrase_text(phrase)) for phrase in line.phrases)


def phrase_columns(header: Line) -> list[Column]:
    """A column per run of words of the header, of the kind its label says ("other": not understood)."""
    columns = []
    for phrase in header.phrases:
        known = column_labels().match(phrase)
        columns.append(Column(known.kind if known else "other", phrase[0].x0, phrase[-1].x1))
    return columns


def best_typed(labelled: list[Column], phrases: list[Column], rows: list[Line], decimal_mark: str):
    """The header typed from the columns its labels found, or from its runs of words, whichever names more
    columns: labels split a run ("Item Code") and may cut one column in two ("Total | línea"), but skip a
    column whose label they do not know."""
    candidates = [
        typed for header in (labelled, phrases) if (typed := typed_columns(header, rows, decimal_mark))
    ]
    return max(candidates, key=lambda columns: sum(c.kind != "other" for c in columns), default=None)


def typed_columns(header: list[Column], rows: list[Line], decimal_mark: str) -> list[Column] | None:
    """The `header`'s columns typed by the `rows` under them, or None when no three of them multiply out.
    The figures go by arithmetic, whatever their labels say; other labels understood are kept."""
    columns = [Column(str(i), c.x0, c.x1) for i, c in enumerate(header)]
    cells = [_cell_texts(row, columns) for row in _until_totals(rows)]
    numbers = {
        c.kind: [parse_number(row[c.kind], decimal_mark) if row.get(c.kind) else None for row in cells]
        for c in columns
        if _numeric([row.get(c.kind) for row in cells])
    }
    figures = _quantity_price_amount(numbers, {c.kind: h.kind for c, h in zip(columns, header, strict=True)})
    if figures is None:
        return None
    kinds = dict(zip(figures, _FIGURES, strict=True))
    for column, labelled in zip(columns, header, strict=True):
        if column.kind not in kinds and labelled.kind not in (*_FIGURES, "other"):
            kinds[column.kind] = labelled.kind
    unnamed = [c.kind for c in columns if c.kind not in kinds and c.kind not in numbers]
    kinds |= _text_kinds(unnamed, cells, set(kinds.values()))
    for column in columns:
        column.kind = kinds.get(column.kind, "other")
    return columns


def _until_totals(rows: list[Line]) -> list[Line]:
    """The rows above the totals block (its first row starts with "Subtotal", "Total", "MwSt", ...)."""
    for index, row in enumerate(rows):
        text = [word for word in row.words if not is_number(word.text)]
        if text and text[0] is row.words[0] and total_labels().match(text):
            return rows[:index]
    return rows


def _cell_texts(row: Line, columns: list[Column]) -> dict[str, str]:
    return {kind: " ".join(word.text for word in words) for kind, words in assign(row.words, columns).items()}


def _numeric(values: list[str | None]) -> bool:
    filled = [value for value in values if value]
    return bool(filled) and sum(map(is_number, filled)) >= _NUMERIC_SHARE * len(filled)


def _quantity_price_amount(numbers: dict[str, list[Decimal | None]], labels: dict[str, str]) -> tuple | None:
    """(quantity, unit price, amount) column keys: the triple agreeing on the most rows, the product to the
    right of its factors. Between triples agreeing alike (a position number equal to the quantity), the
    one without a column of positions (labelled so, or counting 1, 2, 3 down the rows), then the one the
    labels say, then the one whose quantity is of whole numbers, then the leftmost."""
    order = list(labels)
    best, best_score = None, None
    for triple in permutations(numbers, 3):
        if order.index(triple[2]) < max(order.index(triple[0]), order.index(triple[1])):
            continue
        rows = zip(*(numbers[key] for key in triple), strict=True)
        agreeing = sum(
            1 for q, p, a in rows if None not in (q, p, a) and abs(q * p - a) <= CENT + abs(a) / 1000
        )
        if agreeing < _AGREEING_ROWS:
            continue
        positions = sum(labels[key] == "position" or _counts_rows(numbers[key]) for key in triple)
        named = sum(labels[key] == kind for key, kind in zip(triple, _FIGURES, strict=True))
        whole = all(v is None or v == v.to_integral_value() for v in numbers[triple[0]])
        score = (agreeing, -positions, named, whole)
        if best_score is None or score > best_score:
            best, best_score = triple, score
    return best


def _counts_rows(values: list[Decimal | None]) -> bool:
    """1, 2, 3, ... (or 10, 20, 30, ...) down the filled rows: line positions, not figures."""
    filled = [value for value in values if value is not None]
    if len(filled) < 2 or filled[0] not in (1, 10):
        return False
    return all(value == filled[0] * (n + 1) for n, value in enumerate(filled))


def _text_kinds(keys: list[str], cells: list[dict[str, str]], taken: set[str]) -> dict[str, str]:
    """The description (the longest texts on average) and the code (single code-like words) among the
    text columns whose labels were not understood, unless labels named them already."""
    values = {key: [row[key] for row in cells if row.get(key)] for key in keys}
    filled = [key for key in keys if values[key]]
    kinds = {}
    if filled and "description" not in taken:
        description = max(filled, key=lambda key: sum(map(len, values[key])) / len(values[key]))
        kinds[description] = "description"
        filled.remove(description)
    codes = [key for key in filled
             if sum(map(looks_like_code, values[key])) >= _NUMERIC_SHARE * len(values[key])]  # fmt: skip
    if codes and "code" not in taken:
        kinds[codes[0]] = "code"
    return kinds
