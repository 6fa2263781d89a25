"""Scoring a printed description against a catalogue name, and reading a printed code as a barcode."""

from oms.services.order_entry_matching import barcode_key
from oms.services.order_entry_similarity import description_score


def test_a_number_the_name_lacks_costs_more_than_a_word_it_lacks():
    printed = "Copy paper A4 80 g white 25 pcs"
    right = description_score(printed, "Copy paper A4 80 g, white, pack of 25", 0.8)
    same_paper_other_pack = description_score(printed, "Copy paper A4 80 g, white, pack of 50", 0.8)
    assert right > same_paper_other_pack
    assert description_score("", "Anything", 0.9) == 0


def test_a_barcode_is_read_through_spaces_dashes_and_padding_but_never_with_a_wrong_check_digit():
    assert barcode_key("3700000 000013") == barcode_key("03700000000013") == "3700000000013"
    assert barcode_key("3700000000014") is None and barcode_key("TSH-BLU-L") is None
