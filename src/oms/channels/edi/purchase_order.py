"""X12 850 purchase orders as read from their transaction sets, before anything is looked up.

What a segment says is kept with the segment itself, so that every problem, here or when the order is
mapped and captured, names the segment, its position in the interchange, and the element at fault.
Content problems (a date that is no date, a quantity that is no whole number) refuse the purchase order
alone; control problems (GS01, ST01, the CTT counts) break the interchange.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from oms.channels.edi.envelope import Interchange, Party, TransactionSet
from oms.channels.edi.x12 import Problem, Segment, whole_number

PURPOSES = {"00": "original", "06": "confirmation"}  # others (01 cancellation, 05 replace) are changes
_HEADER = {"BEG", "CUR", "REF", "PER", "DTM", "TD5"}
_LOCATION = {"N2", "N3", "N4"}
LAST_PRODUCT_PAIR = 25  # PO124/PO125
# X12 numbers (R) are at most 15 characters in an 850 (PO102; PO104 17): past that many digits a value is
# refused before it is used, as 1E9999999 would be an integer of ten million digits, minutes of CPU.
MAX_DIGITS = 15


@dataclass(frozen=True, slots=True)
class Location:
    """An N1 loop: the party (N101 ST ship-to, BY buyer, BT bill-to), its names and address."""

    n1: Segment
    n2: Segment | None = None
    n3: Segment | None = None
    n4: Segment | None = None

    @property
    def role(self) -> str:
        return self.n1[1]

    @property
    def code(self) -> tuple[str, str]:
        """N103 (the code's qualifier: 92 for the buyer's own location codes) and N104."""
        return self.n1[3], self.n1[4]


@dataclass(frozen=True, slots=True)
class Contact:
    segment: Segment  # the PER
    name: str
    email: str | None
    phone: str | None


@dataclass(frozen=True, slots=True)
class PoLine:
    segment: Segment  # the PO1
    line_id: str  # PO101, quoted back in the 855 and 856
    quantity: int | None
    unit: str
    unit_price: Decimal | None
    product_ids: tuple[tuple[str, str], ...]  # (qualifier, id) from PO106/PO107 on


@dataclass(frozen=True, slots=True)
class PurchaseOrder:
    transaction_set: TransactionSet
    reference: str  # where in the interchange: "ST 0001", or "GS 2 ST 0001" when it has several groups
    sender: Party  # of the interchange, which documents about this order answer
    receiver: Party
    version: str  # GS08: 004010, 005010 (and an industry's suffix)
    beg: Segment | None
    number: str  # BEG03
    date: dt.date | None  # BEG05
    currency: tuple[Segment, str] | None  # CUR02
    references: tuple[tuple[str, str], ...]  # REF01, REF02
    contact: Contact | None
    requested_delivery: dt.date | None  # DTM*002
    service_codes: tuple[str, ...]  # TD512, TD505, TD503 of each TD5
    locations: tuple[Location, ...]
    lines: tuple[PoLine, ...]
    problems: tuple[Problem, ...]

    def location(self, *roles: str) -> Location | None:
        """The first N1 loop of the first of `roles` present."""
        return next((loc for role in roles for loc in self.locations if loc.role == role), None)


def read_purchase_orders(interchange: Interchange) -> tuple[list[PurchaseOrder], list[Problem]]:
    """The interchange's purchase orders, and its control problems (GS01, ST01, CTT counts)."""
    orders, problems = [], []
    several_groups = len(interchange.groups) > 1
    for group in interchange.groups:
        gs = group.header
        if gs[1] != "PO":
            problems.append(Problem.at(gs, 1, f"GS01 is {gs[1] or 'empty'}; purchase orders (850) come in PO groups"))
        for transaction_set in group.sets:
            if transaction_set.code != "850":
                problems.append(Problem.at(transaction_set.header, 1, f"ST01 is {transaction_set.code or 'empty'}:"
                                                                      " only 850 purchase orders are accepted"))  # fmt: skip
                continue
            prefix = f"GS {gs[6]} " if several_groups else ""
            order = _read(transaction_set, f"{prefix}ST {transaction_set.control_number}", interchange)
            orders.append(order)
            problems += _ctt_problems(transaction_set, order.lines)
    return orders, problems


def _read(transaction_set: TransactionSet, reference: str, interchange: Interchange) -> PurchaseOrder:
    header: dict[str, list[Segment]] = {tag: [] for tag in _HEADER}
    locations: list[dict[str, Segment]] = []
    lines: list[PoLine] = []
    problems: list[Problem] = []
    for segment in transaction_set.segments[1:-1]:
        if segment.tag == "PO1":
            lines.append(_line(segment, problems))
        elif lines:
            continue  # PID descriptions and other line details
        elif segment.tag in _HEADER:
            header[segment.tag].append(segment)
        elif segment.tag == "N1":
            locations.append({"n1": segment})
        elif segment.tag in _LOCATION and locations:
            locations[-1].setdefault(segment.tag.lower(), segment)
    beg = header["BEG"][0] if header["BEG"] else None
    problems += _beg_problems(transaction_set.header, beg)
    cur = next((s for s in header["CUR"] if s[2]), None)
    return PurchaseOrder(
        transaction_set=transaction_set, reference=reference, sender=interchange.sender,
        receiver=interchange.receiver, version=transaction_set.group[8], beg=beg, number=beg[3] if beg else "",
        date=_date(beg, 5, problems) if beg else None, currency=(cur, cur[2]) if cur else None,
        references=tuple((s[1], s[2] or s[3]) for s in header["REF"]), contact=_contact(header["PER"]),
        requested_delivery=next((_date(s, 2, problems) for s in header["DTM"] if s[1] == "002"), None),
        service_codes=tuple(s[n] for s in header["TD5"] for n in (12, 5, 3) if s[n]),
        locations=tuple(Location(**loc) for loc in locations), lines=tuple(lines), problems=tuple(problems),
    )  # fmt: skip


def _beg_problems(st: Segment, beg: Segment | None) -> list[Problem]:
    if beg is None:
        return [Problem.at(st, None, "the purchase order has no BEG segment")]
    problems = []
    if beg[1] not in PURPOSES:
        problems.append(Problem.at(beg, 1, f"BEG01 is {beg[1] or 'empty'}: only new purchase orders (00 original,"
                                           " 06 confirmation) are taken; changes come as 860"))  # fmt: skip
    if not beg[3]:
        problems.append(Problem.at(beg, 3, "BEG03, the purchase order number, is missing"))
    return problems


def _line(po1: Segment, problems: list[Problem]) -> PoLine:
    quantity = _number(po1, 2, problems)
    if quantity is not None and (quantity != quantity.to_integral_value() or quantity <= 0):
        problems.append(Problem.at(po1, 2, f"PO102 is {po1[2]}: a whole number of units above 0"))
        quantity = None
    price = _number(po1, 4, problems)
    pairs = tuple((po1[n], po1[n + 1]) for n in range(6, LAST_PRODUCT_PAIR, 2) if po1[n] and po1[n + 1])
    return PoLine(po1, po1[1], int(quantity) if quantity is not None else None, po1[3], price, pairs)


def _number(segment: Segment, n: int, problems: list[Problem]) -> Decimal | None:
    try:
        value = Decimal(segment[n])
    except InvalidOperation:
        problems.append(Problem.at(segment, n, f"{segment.name(n)} is {segment[n] or 'missing'}: a number is expected"))
        return None
    if value.is_finite() and value.adjusted() < MAX_DIGITS:
        return value
    problems.append(Problem.at(segment, n, f"{segment.name(n)} is {segment[n]}: a number of at most {MAX_DIGITS}"
                                           " digits is expected"))  # fmt: skip
    return None


def _date(segment: Segment, n: int, problems: list[Problem]) -> dt.date | None:
    try:
        if len(segment[n]) == 8:
            return dt.datetime.strptime(segment[n], "%Y%m%d").date()
    except ValueError:
        pass
    problems.append(Problem.at(segment, n, f"{segment.name(n)} is {segment[n] or 'missing'}: a date CCYYMMDD"
                                           " is expected"))  # fmt: skip
    return None


def _contact(pers: list[Segment]) -> Contact | None:
    """The first PER with an e-mail (EM) or phone (TE) among its PER03/PER04 .. PER07/PER08 pairs."""
    for per in pers:
        pairs = {per[n]: per[n + 1] for n in (7, 5, 3) if per[n + 1]}  # the first pair of a kind wins
        if "EM" in pairs or "TE" in pairs:
            return Contact(per, per[2], pairs.get("EM"), pairs.get("TE"))
    return None


def _ctt_problems(transaction_set: TransactionSet, lines: tuple[PoLine, ...]) -> list[Problem]:
    ctt = next((s for s in transaction_set.segments if s.tag == "CTT"), None)
    if ctt is None:
        return []
    problems = []
    if whole_number(ctt[1]) != len(lines):
        problems.append(Problem.at(ctt, 1, f"CTT01 is {ctt[1] or 'empty'}, the purchase order has {len(lines)}"
                                           " PO1 segments"))  # fmt: skip
    if ctt[2]:
        total = sum((Decimal(line.segment[2]) for line in lines if _is_number(line.segment[2])), Decimal(0))
        if not _is_number(ctt[2]) or Decimal(ctt[2]) != total:
            problems.append(Problem.at(ctt, 2, f"CTT02 is {ctt[2]}, the PO1 quantities (PO102) add up to {total}"))
    return problems


def _is_number(value: str) -> bool:
    try:
        return Decimal(value).is_finite()
    except InvalidOperation:
        return False
