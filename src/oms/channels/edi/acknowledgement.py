"""The 855 purchase order acknowledgement: what became of each line of an 850.

BAK02 says it for the whole order: AD accepted as ordered, AC accepted with changes (some units
backordered), RD refused. Each PO1 is quoted back with an ACK per outcome: IA accepted (with the date
we expect to ship, ACK04 068), IB backordered, IR rejected.
"""

import datetime as dt
from dataclasses import dataclass

from oms.channels.edi.purchase_order import PoLine, PurchaseOrder
from oms.channels.edi.writer import x12_date

MAX_NOTES = 10  # MSG segments explaining a refusal
MSG_LENGTH = 264


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """Units of a PO1 accepted (allocated, or already shipped), backordered and rejected (cancelled)."""

    accepted: int
    backordered: int
    rejected: int = 0


def acknowledgement_type(outcomes: list[LineOutcome] | None) -> str:
    if outcomes is None:
        return "RD"
    return "AD" if all(o.backordered == o.rejected == 0 for o in outcomes) else "AC"


def acknowledgement(po: PurchaseOrder, today: dt.date, order_id: int | None = None,
                    outcomes: list[LineOutcome] | None = None, ship_date: dt.date | None = None,
                    reasons: list[str] = ()) -> list[list[str]]:  # fmt: skip
    """The segments of the 855 between ST and SE: for the order captured from `po` (its id, and per PO1
    the outcome), or, with no outcomes, refusing `po` for `reasons`."""
    bak = ["BAK", "00", acknowledgement_type(outcomes), po.number, x12_date(po.date), "", "", "",
           str(order_id or ""), x12_date(today)]  # fmt: skip
    segments = [bak]
    if outcomes is None and reasons:
        segments.append(["N9", "L1", "REFUSED"])
        segments += [["MSG", reason[:MSG_LENGTH]] for reason in reasons[:MAX_NOTES]]
    for index, line in enumerate(po.lines):
        segments.append(quoted(line))
        if outcomes is None:
            segments.append(["ACK", "IR", line.segment[2], line.unit])
            continue
        outcome = outcomes[index]
        if outcome.accepted:
            segments.append(["ACK", "IA", str(outcome.accepted), line.unit, "068" if ship_date else "",
                             x12_date(ship_date)])  # fmt: skip
        for code, quantity in (("IB", outcome.backordered), ("IR", outcome.rejected)):
            if quantity:
                segments.append(["ACK", code, str(quantity), line.unit])
    segments.append(["CTT", str(len(po.lines))])
    return segments


def quoted(line: PoLine) -> list[str]:
    """The PO1 as the buyer sent it: line id, quantity, unit, price, product ids."""
    po1 = line.segment
    return ["PO1", po1[1], po1[2], po1[3], po1[4], po1[5], *(value for pair in line.product_ids for value in pair)]
