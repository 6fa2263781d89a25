"""Envelope and count errors: each is found, and names the segment, its position and the element."""

import pytest

from oms.channels.edi.envelope import party_problems, read_interchange
from oms.channels.edi.purchase_order import read_purchase_orders
from oms.channels.edi.settings import EdiSettings
from tests.channels.edi.samples import PIPE_CARET, STAR_TILDE, TWO_GROUPS, replace, sample


def problems(raw: bytes) -> list[tuple[str, int, str | None, str]]:
    interchange = read_interchange(raw)
    found = interchange.problems + read_purchase_orders(interchange)[1]
    return [(p.segment, p.position, p.element, p.message) for p in found]


def position(name: str, segment_start: str) -> int:
    """The position (from 1) of the first segment of sample `name` starting with `segment_start`."""
    text = sample(name).decode()
    segments = [s.strip("\r\n") for s in text.split(text[105])]
    return next(n for n, segment in enumerate(segments, start=1) if segment.startswith(segment_start))


@pytest.mark.parametrize(
    ("old", "new", "segment", "element", "message"),
    [
        ("SE*19*0001", "SE*12*0001", "SE", "SE01", "SE01 is 12, the transaction set has 19 segments"),
        ("SE*19*0001", "SE*19*0002", "SE", "SE02", "SE02 is 0002, ST02 is 0001"),
        ("GE*1*4711", "GE*2*4711", "GE", "GE01", "GE01 is 2, the functional group has 1 transaction set(s)"),
        ("GE*1*4711", "GE*1*4712", "GE", "GE02", "GE02 is 4712, GS06 is 4711"),
        ("IEA*1*000004711", "IEA*3*000004711", "IEA", "IEA01", "IEA01 is 3, the interchange has 1 functional group(s)"),
        ("IEA*1*000004711", "IEA*1*000004712", "IEA", "IEA02", "IEA02 is 000004712, ISA13 is 000004711"),
        ("CTT*2*10", "CTT*3*10", "CTT", "CTT01", "CTT01 is 3, the purchase order has 2 PO1 segments"),
        ("CTT*2*10", "CTT*2*12", "CTT", "CTT02", "CTT02 is 12, the PO1 quantities (PO102) add up to 10"),
        ("GS*PO*", "GS*IN*", "GS", "GS01", "GS01 is IN; purchase orders (850) come in PO groups"),
        ("ST*850*0001", "ST*860*0001", "ST", "ST01", "ST01 is 860: only 850 purchase orders are accepted"),
    ],
)  # fmt: skip
def test_each_count_and_envelope_error_names_its_segment_and_element(old, new, segment, element, message):
    assert problems(replace(STAR_TILDE, old, new)) == [(segment, position(STAR_TILDE, old), element, message)]


def test_a_missing_trailer_is_named_by_its_header():
    no_se = replace(STAR_TILDE, "SE*19*0001~\r\n", "")
    assert ("ST", 3, None, "the transaction set 0001 has no SE") in problems(no_se)
    no_ge = replace(STAR_TILDE, "GE*1*4711~\r\n", "")
    assert ("GS", 2, None, "the functional group 4711 has no GE") in problems(no_ge)
    no_iea = replace(STAR_TILDE, "IEA*1*000004711~\r\n", "")
    assert problems(no_iea) == [("ISA", 1, None, "the interchange has no IEA")]


def test_segments_out_of_place_are_named():
    after = replace(STAR_TILDE, "IEA*1*000004711~", "IEA*1*000004711~\r\nGS*PO*X*Y*20261120*0930*9*X*004010~")
    assert ("GS", 24, None, "comes after the IEA that ends the interchange") in problems(after)
    between = replace(STAR_TILDE, "GE*1*4711~", "GE*1*4711~\r\nREF*DP*1~")
    assert ("REF", 23, None, "is out of place: it belongs inside a functional group (GS .. GE)") in problems(between)


def test_control_numbers_must_not_repeat_within_their_envelope():
    repeated = replace(TWO_GROUPS, "ST*850*0002", "ST*850*0001").replace(b"SE*9*0002", b"SE*9*0001")
    assert [p[3] for p in problems(repeated)] == ["the control number 0001 repeats another set's of this group"]


def test_only_004010_and_005010_are_read():
    raw = sample(PIPE_CARET).replace(b"|U|00401|", b"|U|00305|", 1)
    assert problems(raw) == [("ISA", 1, "ISA12", "version 00305 is not supported: 00401 or 00501")]


def test_an_interchange_from_or_to_another_party_than_the_settings_name_is_refused():
    interchange = read_interchange(sample(STAR_TILDE))
    assert party_problems(interchange, EdiSettings()) == []
    mine = EdiSettings(partner_qualifier="ZZ", partner_id="GALERIESLAF", our_qualifier="ZZ", our_id="OMSRETAIL")
    assert party_problems(interchange, mine) == []
    other = EdiSettings(partner_qualifier="ZZ", partner_id="PRINTEMPS", our_qualifier="01", our_id="OMSRETAIL")
    assert [(p.element, p.message) for p in party_problems(interchange, other)] == [
        ("ISA06", "the interchange is from ZZ/GALERIESLAF, not ZZ/PRINTEMPS as this channel's settings say"),
        ("ISA07", "the interchange is to ZZ/OMSRETAIL, not 01/OMSRETAIL as this channel's settings say"),
    ]


def test_counts_with_leading_zeros_are_read_as_their_numbers():
    padded = (replace(STAR_TILDE, "SE*19*0001", "SE*019*0001").replace(b"GE*1*4711", b"GE*01*4711")
              .replace(b"IEA*1*", b"IEA*01*").replace(b"CTT*2*10", b"CTT*02*10"))  # fmt: skip
    assert problems(padded) == []


@pytest.mark.parametrize("count", ["²", "9" * 5000, "-19"])
def test_a_count_that_is_no_plain_number_is_a_problem_of_its_element(count):
    assert [p[:3] for p in problems(replace(STAR_TILDE, "SE*19*0001", f"SE*{count}*0001"))] == [("SE", 21, "SE01")]
