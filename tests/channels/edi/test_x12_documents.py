"""The 855 and 856 we write: read back by our own parser with sound envelopes, whatever the partner's
delimiters, and saying what the order and the shipment say."""

import datetime as dt

import pytest

from oms.channels.edi.acknowledgement import LineOutcome, acknowledgement
from oms.channels.edi.envelope import read_interchange
from oms.channels.edi.purchase_order import read_purchase_orders
from oms.channels.edi.settings import EdiSettings
from oms.channels.edi.ship_notice import Place, Shipment, ShippedLine, ship_notice
from oms.channels.edi.writer import Controls, delimiters_for, envelope_for, write_document
from tests.channels.edi.samples import NEWLINE, PIPE_CARET, STAR_TILDE, TWO_GROUPS, sample

AT = dt.datetime(2026, 11, 24, 15, 42, tzinfo=dt.UTC)
CONTROLS = Controls(interchange=17, group=18, transaction_set=19)
SEPARATORS = [
    {},  # * > ~ with line breaks
    {"element": "|", "component": ":", "segment": "^", "repetition": "{", "line_break": False},
    {"element": "+", "component": ">", "segment": "'", "repetition": "^"},
]


def po(name: str = STAR_TILDE, index: int = 0):
    return read_purchase_orders(read_interchange(sample(name)))[0][index]


def written(code: str, segments: list[list[str]], order, settings: EdiSettings):
    envelope = envelope_for(settings, order)
    raw = write_document(code, segments, envelope, CONTROLS, delimiters_for(settings, envelope), AT)
    interchange = read_interchange(raw)
    assert interchange.problems == []
    (group,) = interchange.groups
    (transaction_set,) = group.sets
    return interchange, group, transaction_set.segments


def by_tag(segments, tag: str) -> list[list[str]]:
    return [list(s.elements) for s in segments if s.tag == tag]


@pytest.mark.parametrize("separators", SEPARATORS)
def test_an_855_reads_back_with_sound_envelopes_in_the_partners_delimiters(separators):
    order = po()
    settings = EdiSettings(separators=separators)
    outcomes = [LineOutcome(accepted=6, backordered=0), LineOutcome(accepted=1, backordered=3)]
    segments = acknowledgement(order, AT.date(), 1042, outcomes, dt.date(2026, 11, 25))
    interchange, group, body = written("855", segments, order, settings)
    assert interchange.delimiters.element == settings.separators.element
    assert (interchange.control_number, group.header[1], group.header[6], body[0][1], body[0][2]) == (
        "000000017", "PR", "18", "855", "0019")  # fmt: skip
    assert (str(interchange.sender), str(interchange.receiver)) == ("ZZ/OMSRETAIL", "ZZ/GALERIESLAF")  # answered
    assert by_tag(body, "BAK") == [["00", "AC", "4500012345", "20261120", "", "", "", "1042", "20261124"]]
    assert by_tag(body, "ACK") == [["IA", "6", "EA", "068", "20261125"], ["IA", "1", "EA", "068", "20261125"],
                                   ["IB", "3", "EA"]]  # fmt: skip
    assert [p[:3] + p[5:] for p in by_tag(body, "PO1")] == [["1", "6", "EA", "VP", "TSH-BLU-L", "BP", "GL-884120"],
                                                           ["2", "4", "EA", "VP", "JKT-RED-M", "BP", "GL-884133"]]  # fmt: skip
    assert by_tag(body, "CTT") == [["2"]]


def test_an_855_accepting_everything_is_ad_and_one_refusing_is_rd_with_its_reasons():
    order = po(NEWLINE)
    accepted = acknowledgement(order, AT.date(), 7, [LineOutcome(2, 0), LineOutcome(1, 0)])
    assert accepted[0][2] == "AD" and [s for s in accepted if s[0] == "ACK"] == [["ACK", "IA", "2", "EA", "", ""],
                                                                                ["ACK", "IA", "1", "EA", "", ""]]  # fmt: skip
    refused = acknowledgement(order, AT.date(), reasons=["PO1 (segment 10): no product we sell has any of its ids"])
    _, _, body = written("855", refused, order, EdiSettings())
    assert by_tag(body, "BAK")[0][:2] == ["00", "RD"] and by_tag(body, "BAK")[0][7:8] == [""]  # no order of ours
    assert by_tag(body, "MSG") == [["PO1 (segment 10): no product we sell has any of its ids"]]
    assert by_tag(body, "ACK") == [["IR", "2", "EA"], ["IR", "1", "EA"]]


def test_we_answer_in_the_purchase_orders_version_unless_the_settings_say():
    interchange, group, _ = written("855", acknowledgement(po(TWO_GROUPS), AT.date(), 1), po(TWO_GROUPS), EdiSettings())
    assert (interchange.header[11], interchange.header[12], group.header[8]) == ("^", "00501", "005010")
    interchange, group, _ = written("855", acknowledgement(po(TWO_GROUPS), AT.date(), 1), po(TWO_GROUPS),
                                    EdiSettings(version="004010"))  # fmt: skip
    assert (interchange.header[11], interchange.header[12], group.header[8]) == ("U", "00401", "004010")
    mine = EdiSettings(our_qualifier="01", our_id="123456789", partner_qualifier="ZZ", partner_id="GALERIES")
    interchange, group, _ = written("855", acknowledgement(po(), AT.date(), 1), po(), mine)
    assert (str(interchange.sender), str(interchange.receiver), group.header[2]) == ("01/123456789", "ZZ/GALERIES",
                                                                                      "123456789")  # fmt: skip


def _shipment(order) -> Shipment:
    lyon = Place("Entrepot Lyon", "1 rue de test", None, "Lyon", "69007", "FR")
    store = Place("Kaufhaus Nord Filiale Koeln", "Hohe Strasse 41", None, "Koeln", "50667", "DE")
    return Shipment(id=77, shipped_at=AT, carrier="DHL", tracking_numbers=("JJD0001", "JJD0002"), cartons=2,
                    weight_kg=3.25, ship_from=lyon, ship_to=store,
                    lines=(ShippedLine(order.lines[0], "TSH-BLU-M", 3), ShippedLine(order.lines[1], "JKT-RED-M", 1)))  # fmt: skip


@pytest.mark.parametrize("separators", SEPARATORS)
def test_an_856_reads_back_as_a_shipment_order_item_hierarchy(separators):
    order = po(PIPE_CARET)
    _, group, body = written("856", ship_notice(order, _shipment(order)), order, EdiSettings(separators=separators))
    assert group.header[1] == "SH" and body[0][1] == "856"
    assert by_tag(body, "BSN") == [["00", "77", "20261124", "1542", "0004"]]
    assert by_tag(body, "DTM") == [["011", "20261124", "1542", "UT"]]
    assert by_tag(body, "HL") == [["1", "", "S"], ["2", "1", "O"], ["3", "2", "I"], ["4", "2", "I"]]
    assert by_tag(body, "TD1") == [["CTN", "2", "", "", "", "G", "3.250", "KG"]]
    assert by_tag(body, "TD5") == [["", "2", "DHL"]] and by_tag(body, "REF") == [["CN", "JJD0001"], ["CN", "JJD0002"]]
    assert [n[:2] for n in by_tag(body, "N1")] == [["SF", "Entrepot Lyon"], ["ST", "Kaufhaus Nord Filiale Koeln"]]
    assert by_tag(body, "PRF") == [["KD-2026-88121", "", "", "20261121"]]
    assert by_tag(body, "LIN") == [["10", "VP", "TSH-BLU-M", "EN", "3700000000020"],
                                   ["20", "VP", "JKT-RED-M", "UK", "03700000000037"]]  # fmt: skip
    assert by_tag(body, "SN1") == [["", "3", "EA"], ["", "1", "EA"]]
    assert by_tag(body, "CTT") == [["4"]]


def test_a_delimiter_inside_a_value_is_written_as_a_space():
    order = po(PIPE_CARET)
    tricky = Place("Kaufhaus*Nord~Koeln", "Hohe Strasse 41", None, "Koeln", "50667", "DE")
    notice = ship_notice(order, Shipment(77, AT, "DHL", (), 1, 1.0, tricky, tricky, _shipment(order).lines))
    _, _, body = written("856", notice, order, EdiSettings())
    assert by_tag(body, "N1")[0][1] == "Kaufhaus Nord Koeln"


def test_party_ids_holding_our_delimiters_keep_the_isa_fixed_width():
    """ISA06 is X12 text, where '*' and '~' are characters like others when the partner's delimiters differ."""
    raw = sample(PIPE_CARET).replace(b"|KAUFHAUSNORD   |", b"|KAUF*HAUS~NORD |", 1)
    order = read_purchase_orders(read_interchange(raw))[0][0]
    interchange, group, _ = written("855", acknowledgement(order, AT.date(), 1), order, EdiSettings())
    assert str(interchange.receiver) == "ZZ/KAUF HAUS NORD" and group.header[3] == "KAUF HAUS NORD"
