"""The lines of an address block: under its label (or beside it), in the label's column, until a gap or
another label. Two blocks side by side are told apart by x position: a block's column ends where the
next label on the label's line begins."""

from oms.channels.documents.columns import header_columns
from oms.channels.documents.fields import Labelled
from oms.channels.documents.labels import header_labels
from oms.channels.documents.layout import Line, Word, phrase_text

MAX_LINES = 7
_LEFT_SLACK = 4.0


def block_lines(lines: list[Line], label: Labelled, labels: list[Labelled], width: float) -> list[str]:
    """The block's text lines, the text beside the label (if any) first."""
    right = _right_bound(label, labels, width)
    texts = [label.value] if _value_on_label_line(lines[label.line_index], label, right) else []
    previous = lines[label.line_index]
    for line in lines[label.line_index + 1 :]:
        if len(texts) >= MAX_LINES or line.top - previous.bottom > 1.6 * previous.height:
            break
        words = [w for w in line.words if label.x0 - _LEFT_SLACK <= w.x0 < right]
        if not words:
            continue
        if _is_label(words):
            break
        texts.append(phrase_text(words))
        previous = line
    return texts


def _right_bound(label: Labelled, labels: list[Labelled], width: float) -> float:
    beside = [other.x0 for other in labels if other.line_index == label.line_index and other.x0 > label.x1]
    return min(beside, default=width)


def _value_on_label_line(line: Line, label: Labelled, right: float) -> bool:
    """Whether the label's value was read beside it ("Ship to: ACME GmbH") rather than below it."""
    value = label.value.split()
    return any(label.x1 < w.x0 < right and w.text.strip(":") in value for w in line.words)


def _is_label(words: list[Word]) -> bool:
    return header_labels().match(words) is not None or header_columns(Line(words)) is not None
