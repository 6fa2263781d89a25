import pytest

from oms.domain.routing.rate_csv import RateTableError, parse_rate_csv
from oms.domain.routing.rates import Quote, RateTable, carrier_cost, lane_between
from tests.unit.routing.builders import KOELN, LYON, ORLEANS, PARIS, card


def test_a_shipment_pays_the_base_fee_and_the_first_weight_break_it_fits_under():
    rate = card(breaks=((2, 4.0), (10, 7.0)), base=1.5)
    assert rate.price(0.5) == 5.5
    assert rate.price(2.0) == 5.5
    assert rate.price(2.01) == 8.5


def test_above_the_heaviest_break_each_extra_kg_costs_per_kg_over():
    rate = card(breaks=((10, 7.0),), over=0.5)
    assert rate.price(14) == 9.0


@pytest.mark.parametrize(
    ("breaks", "problem"),
    [
        ((), "needs at least one weight break"),
        (((5, 4.0), (5, 6.0)), "increasing weight"),
        (((5, 6.0), (10, 4.0)), "may not cost less"),
        (((0, 4.0),), "positive weight"),
    ],
)
def test_a_card_with_inconsistent_weight_breaks_is_refused(breaks, problem):
    with pytest.raises(ValueError, match=problem):
        card(breaks=breaks)


def _cheapest(table, origin_country, origin, destination, service, weight=1.0):
    lane = lane_between(table, origin_country, origin, destination, service)
    return None if lane is None else lane.quote(weight)


def test_the_most_specific_card_of_a_carrier_applies_and_the_cheapest_carrier_wins():
    table = RateTable([
        card("post", breaks=((30, 9.0),)),
        card("post", dest="FR", breaks=((30, 6.0),)),
        card("post", dest="FR", band=200, breaks=((30, 4.0),)),
        card("dhl", origin="FR", dest="FR", breaks=((30, 5.0),)),
    ])  # fmt: skip
    assert _cheapest(table, "FR", ORLEANS, PARIS, "standard") == Quote("post", 4.0)
    assert _cheapest(table, "FR", LYON, PARIS, "standard") == Quote("dhl", 5.0)
    assert _cheapest(table, "DE", KOELN, PARIS, "standard") == Quote("post", 6.0)


def test_a_carrier_is_priced_by_its_own_card_even_where_another_is_cheaper():
    table = RateTable([card("post", breaks=((30, 4.0),)), card("DHL", dest="FR", breaks=((30, 5.0),))])
    assert _cheapest(table, "FR", LYON, PARIS, "standard") == Quote("post", 4.0)
    assert carrier_cost(table, "dhl", "FR", LYON, PARIS, 1.0, "standard") == 5.0
    assert carrier_cost(table, "UPS", "FR", LYON, PARIS, 1.0, "standard") is None
    assert carrier_cost(table, "post", "FR", LYON, PARIS, 1.0, "express") is None


def test_no_card_for_the_service_means_no_lane():
    table = RateTable([card(service="standard")])
    assert _cheapest(table, "FR", LYON, PARIS, "express") is None


def test_a_lane_knows_the_least_any_shipment_on_it_costs():
    table = RateTable([card("a", breaks=((5, 6.0),), base=1.0), card("b", breaks=((1, 2.0), (9, 20.0)))])
    lane = table.lane("standard", "FR", "FR", 100)
    assert lane.min_cost == 2.0
    assert lane.quote(3) == Quote("a", 7.0)


CSV = """carrier,service,origin_country,dest_country,max_distance_km,max_weight_kg,price,base_fee,per_kg_over
post,standard,,FR,,5,4.90,1.00,
post,standard,,FR,,2,3.90,1.00,
dhl,express,DE,FR,800,10,12.00,,0.8
"""


def test_a_rate_csv_becomes_one_card_per_lane_with_its_breaks_in_weight_order():
    post, dhl = parse_rate_csv(CSV)
    assert post.breaks == ((2.0, 3.9), (5.0, 4.9)) and post.base_fee == 1.0 and post.dest_country == "FR"
    assert post.origin_country is None and post.max_distance_km is None
    assert (dhl.service, dhl.origin_country, dhl.max_distance_km, dhl.per_kg_over) == (
        "express",
        "DE",
        800,
        0.8,
    )


def test_every_bad_row_is_reported_with_its_row_number():
    text = """carrier,service,origin_country,dest_country,max_distance_km,max_weight_kg,price
post,standard,,FR,,5,4.90
,overnight,fr,,,5,x
post,standard,,,-3,,1
"""
    with pytest.raises(RateTableError) as caught:
        parse_rate_csv(text)
    assert caught.value.errors == [
        "row 3: carrier: required",
        "row 3: service: one of standard, express, not 'overnight'",
        "row 3: origin_country: a two-letter country code in capitals, or blank for any",
        "row 3: price: not a number: 'x'",
        "row 4: max_distance_km: may not be negative",
        "row 4: max_weight_kg: required",
    ]


def test_missing_columns_are_named():
    with pytest.raises(RateTableError, match="row 1: missing column.* price"):
        parse_rate_csv("carrier,service,origin_country,dest_country,max_distance_km,max_weight_kg\n")


def test_rows_of_one_card_must_agree_on_its_base_fee():
    text = CSV.replace("post,standard,,FR,,2,3.90,1.00,", "post,standard,,FR,,2,3.90,2.00,")
    with pytest.raises(RateTableError, match="row 2: base_fee differs between rows of the same card"):
        parse_rate_csv(text)


def test_a_card_whose_heavier_break_is_cheaper_is_refused_at_its_first_row():
    text = CSV.replace("4.90", "2.90")
    with pytest.raises(RateTableError, match="row 2: .*may not cost less"):
        parse_rate_csv(text)
