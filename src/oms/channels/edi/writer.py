"""X12 documents we send: one transaction set in its own functional group and interchange, written with
the partner's delimiters and our control numbers.

Values never carry a delimiter (X12 has no escaping): one found in a name or an address is written as a
space. Trailing empty elements are left out, as the standard asks.
"""

import datetime as dt
from dataclasses import dataclass

from oms.channels.edi.envelope import Party
from oms.channels.edi.purchase_order import PurchaseOrder
from oms.channels.edi.settings import EdiSettings
from oms.channels.edi.x12 import Delimiters

FUNCTIONAL_IDS = {"855": "PR", "856": "SH"}  # GS01 of a group of each transaction set
VERSIONS = ("004010", "005010")
CONTENT_TYPE = "application/edi-x12"


@dataclass(frozen=True, slots=True)
class Controls:
    """Our control numbers for one document: ISA13, GS06, ST02."""

    interchange: int
    group: int
    transaction_set: int


@dataclass(frozen=True, slots=True)
class Envelope:
    sender: Party  # us
    receiver: Party  # the partner
    version: str  # 004010 or 005010
    usage: str  # P production, T test


def envelope_for(settings: EdiSettings, po: PurchaseOrder) -> Envelope:
    """Our envelope for a document about `po`: the parties as the settings name them, else as the
    purchase order's interchange did (its receiver is us); its version, unless the settings say."""
    us = Party(settings.our_qualifier, settings.our_id) if settings.our_id else po.receiver
    them = Party(settings.partner_qualifier, settings.partner_id) if settings.partner_id else po.sender
    version = settings.version or next((v for v in VERSIONS if po.version.startswith(v)), VERSIONS[0])
    return Envelope(us, them, version, settings.usage)


def delimiters_for(settings: EdiSettings, envelope: Envelope) -> Delimiters:
    s = settings.separators
    return Delimiters(s.element, s.component, s.segment, s.repetition if envelope.version >= "00402" else None,
                      "\n" if s.line_break else "")  # fmt: skip


def write_document(code: str, body: list[list[str]], envelope: Envelope, controls: Controls,
                   delimiters: Delimiters, at: dt.datetime) -> bytes:  # fmt: skip
    """The interchange carrying transaction set `code` (855, 856) whose segments between ST and SE are
    `body`."""
    at = at.astimezone(dt.UTC)
    st = ["ST", code, f"{controls.transaction_set:04d}"]
    transaction_set = [st, *body]
    transaction_set.append(["SE", str(len(transaction_set) + 1), st[2]])
    blanks = _blanks(delimiters)  # a party's id may hold them (X12 text), and the ISA is not rendered
    us, them = (f"{party.id.translate(blanks)[:15]:<15}" for party in (envelope.sender, envelope.receiver))
    isa = ["ISA", "00", " " * 10, "00", " " * 10, envelope.sender.qualifier, us, envelope.receiver.qualifier, them,
           at.strftime("%y%m%d"), at.strftime("%H%M"), delimiters.repetition or "U", envelope.version[:5],
           f"{controls.interchange:09d}", "0", envelope.usage, delimiters.component]  # fmt: skip
    gs = ["GS", FUNCTIONAL_IDS[code], envelope.sender.id, envelope.receiver.id, at.strftime("%Y%m%d"),
          at.strftime("%H%M"), str(controls.group), "X", envelope.version]  # fmt: skip
    trailers = [["GE", "1", str(controls.group)], ["IEA", "1", f"{controls.interchange:09d}"]]
    isa_text = delimiters.element.join(isa) + delimiters.segment + delimiters.suffix
    return (isa_text + render([gs, *transaction_set, *trailers], delimiters)).encode()


def render(segments: list[list[str]], delimiters: Delimiters) -> str:
    blanks = _blanks(delimiters)
    lines = []
    for segment in segments:
        values = [str(value).translate(blanks) for value in segment]
        while len(values) > 1 and values[-1] == "":
            values.pop()
        lines.append(delimiters.element.join(values) + delimiters.segment + delimiters.suffix)
    return "".join(lines)


def _blanks(delimiters: Delimiters) -> dict[int, str]:
    """The translation writing each delimiter (and line break) found in a value as a space."""
    return str.maketrans(dict.fromkeys(delimiters.reserved() + "\r\n", " "))


def x12_date(day: dt.date | None) -> str:
    return day.strftime("%Y%m%d") if day else ""
