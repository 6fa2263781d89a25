"""Words with their positions on the page, grouped into visual lines and, within a line, into phrases
(words closer than a column gap). Coordinates are PDF points from the page's top-left corner."""

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(slots=True)
class Line:
    words: list[Word]
    phrases: list[list[Word]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def top(self) -> float:
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return max(word.bottom for word in self.words)

    @property
    def height(self) -> float:
        return max(word.size for word in self.words)


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    lines: list[Line]
    ocr: bool = False


def group_lines(words: list[Word]) -> list[Line]:
    """Words whose vertical middles lie within half a glyph height of a line's first word share that line;
    lines top to bottom, words left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top, 1), w.x0)):
        middle = (word.top + word.bottom) / 2
        for line in reversed(lines[-3:]):
            anchor = line[0]
            if abs((anchor.top + anchor.bottom) / 2 - middle) <= max(anchor.size, word.size) * 0.45:
                line.append(word)
                break
        else:
            lines.append([word])
    return [line_of(sorted(line, key=lambda w: w.x0)) for line in lines]


def line_of(words: list[Word]) -> Line:
    """The words, left to right, as a line with its phrases."""
    return Line(words=words, phrases=split_phrases(words))


def split_phrases(words: list[Word]) -> list[list[Word]]:
    """Runs of words separated by less than about one and a half space widths: a wider gap is a column."""
    phrases: list[list[Word]] = []
    for word in words:
        if phrases and word.x0 - phrases[-1][-1].x1 <= max(word.size, phrases[-1][-1].size, 4) * 0.6:
            phrases[-1].append(word)
        else:
            phrases.append([word])
    return phrases


def phrase_text(phrase: list[Word]) -> str:
    return " ".join(word.text for word in phrase)
