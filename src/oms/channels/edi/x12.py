"""X12 text as segments: the delimiters an interchange declares in its fixed-width ISA, and its segments.

The ISA is 106 characters: "ISA", then sixteen elements of fixed widths, each after the element
separator (the 4th character); ISA16 (the 105th) is the component separator and the 106th ends the
segment: that character ends every segment of the interchange, possibly followed by CR/LF, which are
ignored. From version 00402 on, ISA11 is the repetition separator.
"""

import re
from dataclasses import dataclass

ISA_WIDTHS = (2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1)  # ISA01 .. ISA16
ISA_LENGTH = 3 + sum(ISA_WIDTHS) + len(ISA_WIDTHS) + 1  # 106, its terminator included
_LINE_ENDS = "\r\n"
_CONTROL = frozenset(map(chr, [*range(32), 127]))  # no X12 data; delimiters may be (e.g. FS, GS, LF)


@dataclass(frozen=True, slots=True)
class Delimiters:
    element: str = "*"
    component: str = ">"
    segment: str = "~"
    repetition: str | None = None  # 005010 (ISA11); 004010 has none
    suffix: str = ""  # written after each segment terminator, e.g. a line break

    def reserved(self) -> str:
        return self.element + self.component + self.segment + (self.repetition or "")


@dataclass(frozen=True, slots=True)
class Segment:
    tag: str
    elements: tuple[str, ...]
    position: int  # in the interchange, from 1 (the ISA)

    def __getitem__(self, n: int) -> str:
        """Element n (from 1), stripped; "" when absent."""
        return self.elements[n - 1].strip() if 0 < n <= len(self.elements) else ""

    def name(self, n: int) -> str:
        return f"{self.tag}{n:02d}"


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, and where: the segment (tag and position in the interchange), and the element."""

    segment: str
    position: int
    element: str | None
    message: str

    @classmethod
    def at(cls, segment: Segment, n: int | None, message: str) -> "Problem":
        return cls(segment.tag, segment.position, segment.name(n) if n else None, message)

    def __str__(self) -> str:
        return f"{self.segment} (segment {self.position}): {self.message}"


class InterchangeRefused(Exception):
    """The interchange cannot be read or its envelope is broken: nothing of it may be used."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


def whole_number(value: str) -> int | None:
    """A count or control number as X12 writes it (ASCII digits, maybe zero-padded), else None: `int` alone
    would take "²" for a digit and fail, or refuse 5,000 digits with an error."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def decode(raw: bytes) -> str:
    """X12 is ASCII in practice; UTF-8 is read as such and anything else byte for byte (Latin-1)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def split_segments(raw: bytes) -> tuple[Delimiters, list[Segment]]:
    """The interchange's delimiters and segments (the ISA first); InterchangeRefused when its ISA is not
    a well-formed fixed-width header or a segment is not terminated."""
    text = decode(raw).lstrip("\ufeff \t\r\n")
    delimiters = read_delimiters(text)
    pieces = text.split(delimiters.segment)
    if pieces[-1].strip(_LINE_ENDS):
        tail = pieces[-1].strip(_LINE_ENDS)
        raise InterchangeRefused([Problem(tail[:3], len(pieces), None,
                                          f"the interchange ends without a segment terminator '{delimiters.segment}'")])  # fmt: skip
    segments, problems = [], []
    for piece in pieces[:-1]:
        piece = piece.strip(_LINE_ENDS)
        if not piece:
            continue
        tag, *elements = piece.split(delimiters.element)
        segment = Segment(tag.strip(), tuple(elements), len(segments) + 1)
        if not (2 <= len(segment.tag) <= 3 and segment.tag.isalnum() and segment.tag.isupper()):
            problems.append(Problem(segment.tag[:3], segment.position, None, f"'{segment.tag[:10]}' is no segment tag"))
        segments.append(segment)
    problems += _control_problems(text, delimiters, segments)
    if problems:
        raise InterchangeRefused(problems)
    return delimiters, segments


def _control_problems(text: str, delimiters: Delimiters, segments: list[Segment]) -> list[Problem]:
    """A control character among the data (a NUL cannot even be stored as text), element by element; the
    whole text is searched once first, so a sound interchange costs one scan."""
    control = re.compile(f"[{re.escape(''.join(sorted(_CONTROL - set(delimiters.reserved() + _LINE_ENDS))))}]")
    if not control.search(text):
        return []
    problems = []
    for segment in segments:
        for n, value in enumerate(segment.elements, start=1):
            if found := control.search(value):
                message = f"{segment.name(n)} holds the control character U+{ord(found[0]):04X}: X12 data is printable"
                problems.append(Problem.at(segment, n, message))
    return problems


def read_delimiters(text: str) -> Delimiters:
    """The delimiters the fixed-width ISA at the start of `text` declares."""
    if not text.startswith("ISA"):
        raise InterchangeRefused([Problem(text[:3], 1, None, "an interchange starts with an ISA segment")])
    if len(text) < ISA_LENGTH:
        raise InterchangeRefused([Problem("ISA", 1, None, f"the ISA is {ISA_LENGTH} characters; the interchange"
                                                          f" has {len(text)}")])  # fmt: skip
    element, component, segment = text[3], text[ISA_LENGTH - 2], text[ISA_LENGTH - 1]
    elements = text[4 : ISA_LENGTH - 1].split(element)
    problems = _fixed_width_problems(elements)
    version = elements[11] if len(elements) == len(ISA_WIDTHS) else ""
    repetition = elements[10] if version >= "00402" else None
    named = {"element separator": element, "component separator (ISA16)": component, "segment terminator": segment,
             "repetition separator (ISA11)": repetition}  # fmt: skip
    chars = {label: char for label, char in named.items() if char is not None}
    problems += [Problem("ISA", 1, None, f"the {label} '{char}' is a letter, a digit or a space")
                 for label, char in chars.items() if char.isalnum() or char == " "]  # fmt: skip
    if len(set(chars.values())) < len(chars):
        problems.append(Problem("ISA", 1, None, "its delimiters must differ: " + ", ".join(
            f"{label} '{char}'" for label, char in chars.items())))
    if problems:
        raise InterchangeRefused(problems)
    return Delimiters(element, component, segment, repetition)


def _fixed_width_problems(elements: list[str]) -> list[Problem]:
    if len(elements) != len(ISA_WIDTHS):
        return [Problem("ISA", 1, None, f"the ISA has {len(elements)} elements, {len(ISA_WIDTHS)} expected:"
                                        " it is fixed-width, each element padded to its size")]  # fmt: skip
    return [
        Problem("ISA", 1, f"ISA{n:02d}", f"ISA{n:02d} is {len(value)} characters wide, the fixed-width ISA has {width}")
        for n, (value, width) in enumerate(zip(elements, ISA_WIDTHS, strict=True), start=1)
        if len(value) != width
    ]
