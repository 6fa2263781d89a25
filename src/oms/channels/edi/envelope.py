"""The envelopes of an X12 interchange: ISA/IEA around functional groups (GS/GE) around transaction
sets (ST/SE), and the control numbers and counts that bind each header to its trailer.

`read_interchange` returns the structure with every problem it found (`Interchange.problems`), so that
one answer can list them all; an interchange with any problem must be refused whole.
"""

from dataclasses import dataclass, field

from oms.channels.edi.settings import EdiSettings
from oms.channels.edi.x12 import Delimiters, Problem, Segment, split_segments, whole_number

VERSIONS = ("00401", "00501")  # ISA12: 004010 and 005010


@dataclass(frozen=True, slots=True)
class Party:
    qualifier: str
    id: str

    def __str__(self) -> str:
        return f"{self.qualifier}/{self.id}"


@dataclass(frozen=True, slots=True)
class TransactionSet:
    segments: tuple[Segment, ...]  # ST .. SE
    group: Segment  # its GS

    @property
    def header(self) -> Segment:
        return self.segments[0]

    @property
    def code(self) -> str:
        return self.header[1]

    @property
    def control_number(self) -> str:
        return self.header[2]


@dataclass(slots=True)
class Group:
    header: Segment  # GS
    sets: list[TransactionSet] = field(default_factory=list)
    trailer: Segment | None = None  # GE


@dataclass(slots=True)
class Interchange:
    delimiters: Delimiters
    header: Segment  # ISA
    groups: list[Group] = field(default_factory=list)
    trailer: Segment | None = None  # IEA
    problems: list[Problem] = field(default_factory=list)

    @property
    def sender(self) -> Party:
        return Party(self.header[5], self.header[6])

    @property
    def receiver(self) -> Party:
        return Party(self.header[7], self.header[8])

    @property
    def control_number(self) -> str:
        return self.header[13]

    @property
    def dedupe_key(self) -> str:
        """An interchange is named by its sender and control number (ISA13)."""
        return f"{self.sender}/{self.control_number}"

    def transaction_sets(self) -> list[TransactionSet]:
        return [s for group in self.groups for s in group.sets]


def read_interchange(raw: bytes) -> Interchange:
    """The interchange's envelopes and what is wrong with them; InterchangeRefused when not even its
    segments can be read."""
    delimiters, segments = split_segments(raw)
    interchange = Interchange(delimiters, segments[0])
    _nest(interchange, segments[1:])
    interchange.problems += _count_problems(interchange)
    return interchange


def party_problems(interchange: Interchange, settings: EdiSettings) -> list[Problem]:
    """The interchange must come from the partner and be addressed to us, when the settings name them."""
    expected = ((interchange.sender, settings.partner_qualifier, settings.partner_id, 6, "from"),
                (interchange.receiver, settings.our_qualifier, settings.our_id, 8, "to"))  # fmt: skip
    return [
        Problem.at(interchange.header, n if party.id != id_ else n - 1,
                   f"the interchange is {direction} {party}, not {Party(qualifier, id_)} as this channel's settings say")
        for party, qualifier, id_, n, direction in expected
        if id_ is not None and (party.qualifier, party.id) != (qualifier, id_)
    ]  # fmt: skip


def _nest(interchange: Interchange, segments: list[Segment]) -> None:
    """Sort segments into groups and transaction sets, noting every header without its trailer and
    every segment out of place."""
    problems = interchange.problems
    group: Group | None = None
    opened: list[Segment] = []  # the open transaction set, from its ST
    for segment in segments:
        if interchange.trailer is not None:
            problems.append(Problem.at(segment, None, "comes after the IEA that ends the interchange"))
        elif segment.tag == "SE" and opened:
            group.sets.append(TransactionSet((*opened, segment), group.header))
            opened = []
        elif opened and segment.tag not in ("ST", "GE", "GS", "IEA"):
            opened.append(segment)
        else:
            if opened:
                problems.append(Problem.at(opened[0], None, f"the transaction set {opened[0][2]} has no SE"))
                opened = []
            group = _envelope_segment(interchange, group, segment, opened)
    if opened:
        problems.append(Problem.at(opened[0], None, f"the transaction set {opened[0][2]} has no SE"))
    if group is not None:
        problems.append(Problem.at(group.header, None, f"the functional group {group.header[6]} has no GE"))
    if interchange.trailer is None:
        problems.append(Problem.at(interchange.header, None, "the interchange has no IEA"))


def _envelope_segment(interchange: Interchange, group: Group | None, segment: Segment, opened: list) -> Group | None:
    """Apply a GS, ST, GE or IEA (or note a segment out of place); the group open after it."""
    problems = interchange.problems
    if segment.tag in ("GS", "IEA") and group is not None:
        problems.append(Problem.at(group.header, None, f"the functional group {group.header[6]} has no GE"))
        group = None
    if segment.tag == "GS":
        group = Group(segment)
        interchange.groups.append(group)
    elif segment.tag == "IEA":
        interchange.trailer = segment
    elif segment.tag == "ST" and group is not None:
        opened.append(segment)
    elif segment.tag == "GE" and group is not None:
        group.trailer = segment
        group = None
    else:
        where = "between ST and SE" if group is not None else "inside a functional group (GS .. GE)"
        problems.append(Problem.at(segment, None, f"is out of place: it belongs {where}"))
    return group


def _count_problems(interchange: Interchange) -> list[Problem]:
    isa = interchange.header
    problems = []
    if isa[12] not in VERSIONS:
        problems.append(Problem.at(isa, 12, f"version {isa[12]} is not supported: {' or '.join(VERSIONS)}"))
    if not (whole_number(isa[13]) is not None and len(isa[13]) == 9):
        problems.append(Problem.at(isa, 13, f"the control number '{isa[13]}' is not 9 digits"))
    if iea := interchange.trailer:
        problems += _count(iea, 1, len(interchange.groups), "the interchange has {} functional group(s)")
        problems += _same(iea, 2, isa, 13)
    seen: set[str] = set()
    for group in interchange.groups:
        gs = group.header
        if gs[6] in seen:
            problems.append(Problem.at(gs, 6, f"the control number {gs[6]} repeats another group's"))
        seen.add(gs[6])
        if ge := group.trailer:
            problems += _count(ge, 1, len(group.sets), "the functional group has {} transaction set(s)")
            problems += _same(ge, 2, gs, 6)
        problems += _set_problems(group)
    return problems


def _set_problems(group: Group) -> list[Problem]:
    problems, seen = [], set()
    for transaction_set in group.sets:
        st, se = transaction_set.segments[0], transaction_set.segments[-1]
        if st[2] in seen:
            problems.append(Problem.at(st, 2, f"the control number {st[2]} repeats another set's of this group"))
        seen.add(st[2])
        problems += _count(se, 1, len(transaction_set.segments), "the transaction set has {} segments")
        problems += _same(se, 2, st, 2)
    return problems


def _count(trailer: Segment, n: int, actual: int, says: str) -> list[Problem]:
    value = trailer[n]
    if whole_number(value) == actual:
        return []
    return [Problem.at(trailer, n, f"{trailer.name(n)} is {value or 'empty'}, {says.format(actual)}")]


def _same(trailer: Segment, n: int, header: Segment, m: int) -> list[Problem]:
    value, expected = trailer[n], header[m]
    if value == expected or (whole_number(value) is not None and whole_number(value) == whole_number(expected)):
        return []
    return [Problem.at(trailer, n, f"{trailer.name(n)} is {trailer[n] or 'empty'}, {header.name(m)} is {header[m]}")]
