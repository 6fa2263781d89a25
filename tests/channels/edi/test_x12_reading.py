"""Reading interchanges: delimiters come from the fixed-width ISA, whatever they are, and every
purchase order of every group is found."""

import pytest

from oms.channels.edi.envelope import read_interchange
from oms.channels.edi.purchase_order import read_purchase_orders
from oms.channels.edi.x12 import InterchangeRefused, split_segments
from tests.channels.edi.samples import ALL, NEWLINE, PIPE_CARET, STAR_TILDE, TWO_GROUPS, sample


@pytest.mark.parametrize(
    ("name", "element", "component", "terminator", "repetition"),
    [(STAR_TILDE, "*", ">", "~", None), (PIPE_CARET, "|", ":", "^", None), (TWO_GROUPS, "*", ">", "~", "^"),
     (NEWLINE, "*", ":", "\n", None)],
)  # fmt: skip
def test_the_delimiters_are_those_the_isa_declares(name, element, component, terminator, repetition):
    delimiters, segments = split_segments(sample(name))
    assert (delimiters.element, delimiters.component, delimiters.segment, delimiters.repetition) == (
        element, component, terminator, repetition)  # fmt: skip
    assert [s.tag for s in segments[:3]] == ["ISA", "GS", "ST"] and segments[-1].tag == "IEA"
    assert all("\r" not in e and "\n" not in e for s in segments for e in s.elements)  # line ends are not data


@pytest.mark.parametrize("name", ALL)
def test_every_sample_has_sound_envelopes(name):
    interchange = read_interchange(sample(name))
    orders, problems = read_purchase_orders(interchange)
    assert interchange.problems == [] and problems == []
    assert len(orders) == sum(len(group.sets) for group in interchange.groups) > 0
    assert all(order.number and order.date and order.lines and not order.problems for order in orders)


def test_purchase_orders_of_two_groups_are_told_apart_by_group():
    orders, _ = read_purchase_orders(read_interchange(sample(TWO_GROUPS)))
    assert [o.reference for o in orders] == ["GS 31 ST 0001", "GS 31 ST 0002", "GS 32 ST 0001"]
    assert [o.number for o in orders] == ["BS-1001", "BS-1002", "BS-1003"]
    assert {o.version for o in orders} == {"005010"}


def test_an_850_is_read_segment_by_segment():
    interchange = read_interchange(sample(STAR_TILDE))
    (po,) = read_purchase_orders(interchange)[0]
    assert interchange.dedupe_key == "ZZ/GALERIESLAF/000004711" and str(po.receiver) == "ZZ/OMSRETAIL"
    assert (po.number, po.date.isoformat(), po.requested_delivery.isoformat()) == ("4500012345", "2026-11-20",
                                                                                  "2026-11-27")  # fmt: skip
    assert po.currency[1] == "EUR" and po.references == (("DP", "038"), ("IA", "V-77120"))
    assert (po.contact.email, po.contact.phone) == ("c.dubois@galeries.example", "+33 1 42 82 34 56")
    assert po.service_codes == ("ND", "DHL EXPRESS", "DHLX")
    assert [loc.role for loc in po.locations] == ["BY", "ST"] and po.location("ST").code == ("92", "ENT-7")
    first, second = po.lines
    assert (first.line_id, first.quantity, first.unit, str(first.unit_price)) == ("1", 6, "EA", "11.50")
    assert second.product_ids == (("VP", "JKT-RED-M"), ("BP", "GL-884133"))  # the PID after it is not a line


def test_leading_blank_lines_and_a_byte_order_mark_are_tolerated():
    assert read_interchange("\ufeff\r\n".encode() + sample(STAR_TILDE)).problems == []


def _refusal(raw: bytes) -> list[str]:
    with pytest.raises(InterchangeRefused) as refused:
        split_segments(raw)
    return [f"{p.element}: {p.message}" for p in refused.value.problems]


def test_an_isa_that_is_not_fixed_width_is_refused_naming_the_element():
    raw = sample(STAR_TILDE).replace(b"GALERIESLAF    *", b"GALERIESLAF*", 1) + b"    "
    assert any(m.startswith("ISA06: ISA06 is 11 characters wide") for m in _refusal(raw))


def test_what_is_no_interchange_is_refused():
    assert "an interchange starts with an ISA segment" in _refusal(b"GS*PO*X~")[0]
    assert "the ISA is 106 characters" in _refusal(sample(STAR_TILDE)[:80])[0]
    assert "ends without a segment terminator" in _refusal(sample(STAR_TILDE).rstrip(b"~\r\n"))[0]


def test_delimiters_must_differ_and_be_no_letters():
    raw = sample(STAR_TILDE)
    same = raw[:104] + b"~" + raw[105:]  # the component separator is the segment terminator too
    assert any("its delimiters must differ" in m for m in _refusal(same))
    letter = raw[:104] + b"A" + raw[105:]
    assert any("'A' is a letter, a digit or a space" in m for m in _refusal(letter))
