"""The lines of an address block: under its label (or under the value beside it), the run of words that
starts at the block's left edge on each line, until a gap or another label. Blocks side by side are told
apart by x position: a block's column ends where the next label on the label's line begins, and a
header field printed to the right of a block line is another run of words, not part of it."""

from oms.channels.documents.columns import header_columns
from oms.channels.documents.fields import Labelled
from oms.channels.documents.labels import header_labels
from oms.channels.documents.layout import Line, Word, line_of, phrase_text

MAX_LINES = 7
_SLACK = 4.0  # points a block line may start left of the block's edge
_INDENT = 30.0  # and right of it
_BESIDE = 40.0  # points: farther right of an address label, text is another block, not its first line


def block_lines(lines: list[Line], label: Labelled, labels: list[Labelled], width: float) -> list[str]:
    """The block's text lines, the text beside the label (if any) first."""
    right = _right_bound(label, labels, width)
    beside = _value_beside(lines[label.line_index], label, right)
    anchors = (label.x0, beside[0].x0) if beside else (label.x0,)
    texts = [label.value] if beside else []
    return texts + lines_under(lines, label.line_index, anchors, right, MAX_LINES - len(texts))


def lines_under(
    lines: list[Line], index: int, anchors: tuple[float, ...], right: float, most: int = MAX_LINES
) -> list[str]:
    """The texts starting at one of the `anchors` (under a label, or under the value beside it) on the lines
    below line `index`, until a gap of more than about a blank line, a label, or `most` lines."""
    texts: list[str] = []
    previous = lines[index]
    for line in lines[index + 1 :]:
        if len(texts) >= most or line.top - previous.bottom > 1.6 * previous.height:
            break
        start = next((i for i, p in enumerate(line.phrases) if _starts_at(p[0].x0, anchors, right)), None)
        if start is None:
            continue
        words = _run_from(line.phrases[start:], right)
        if _is_label(words):
            break
        texts.append(phrase_text(words))
        previous = line
    return texts


def _run_from(phrases: list[list[Word]], right: float) -> list[Word]:
    """The first phrase with those close after it (OCR spaces "Acme Ltd - Warehouse 2" unevenly)."""
    words = list(phrases[0])
    for phrase in phrases[1:]:
        if phrase[0].x0 >= right or phrase[0].x0 - words[-1].x1 > 1.5 * max(w.size for w in words):
            break
        words += phrase
    return words


def _starts_at(x0: float, anchors: tuple[float, ...], right: float) -> bool:
    return x0 < right and any(anchor - _SLACK <= x0 < anchor + _INDENT for anchor in anchors)


def _right_bound(label: Labelled, labels: list[Labelled], width: float) -> float:
    beside = [other.x0 for other in labels if other.line_index == label.line_index and other.x0 > label.x1]
    return min(beside, default=width)


def _value_beside(line: Line, label: Labelled, right: float) -> list[Word]:
    """The words of the label's value when it was read beside the label ("Ship to: ACME GmbH") rather
    than below it."""
    value = label.value.split()
    beside = [w for w in line.words if label.x1 < w.x0 < right and w.text.strip(":") in value]
    return beside if beside and beside[0].x0 - label.x1 <= _BESIDE else []


def _is_label(words: list[Word]) -> bool:
    return header_labels().match(words) is not None or header_columns(line_of(words)) is not None
