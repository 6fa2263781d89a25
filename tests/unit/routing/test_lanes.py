from oms.domain.routing.rates import RateTable, card_at_most
from tests.unit.routing.builders import card


def test_nodes_in_one_distance_band_share_one_lane():
    table = RateTable([card(band=200, breaks=((30, 4.0),)), card(breaks=((30, 6.0),))])
    assert table.lane("standard", "FR", "FR", 120.0) is table.lane("standard", "FR", "FR", 199.0)
    assert table.lane("standard", "FR", "FR", 201.0).quote(1).cost == 6.0
    assert table.lane("standard", "FR", "FR", 200.0).quote(1).cost == 4.0


def test_a_card_is_at_most_another_only_when_it_never_charges_more():
    cheap = card(breaks=((5, 4.0), (30, 8.0)))
    assert card_at_most(cheap, card(breaks=((5, 4.0), (30, 9.0))))
    assert not card_at_most(cheap, card(breaks=((10, 6.0), (30, 7.0))))  # dearer between 10 and 30 kg
    assert not card_at_most(card(breaks=((30, 5.0),), over=1.0), card(breaks=((30, 6.0),), over=0.5))
    assert not card_at_most(card(breaks=((5, 4.0), (30, 8.0)), base=0.5), cheap)  # the fee counts too


def test_lanes_compare_card_by_card():
    table = RateTable([card(band=200, breaks=((30, 4.0),)), card(breaks=((30, 6.0),))])
    near, far = table.lane("standard", "FR", "FR", 100.0), table.lane("standard", "FR", "FR", 300.0)
    assert near.at_most(far) and not far.at_most(near) and near.at_most(near)
