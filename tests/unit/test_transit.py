import pytest

from oms.domain.transit import DEFAULT_CARRIER, Transit, TransitRule, TransitTable, find_transit


@pytest.mark.parametrize(
    ("level", "origin", "dest", "km", "days"),
    [
        ("standard", "FR", "FR", 900, 2),
        ("express", "FR", "FR", 900, 1),
        ("standard", "FR", "DE", 400, 3),
        ("standard", "FR", "DE", 1000, 4),
        ("standard", "FR", "PL", 1600, 5),
        ("express", "FR", "DE", 1600, 2),
    ],
)
def test_without_configured_rules_the_defaults_apply(level, origin, dest, km, days):
    assert find_transit([], level, origin, dest, km) == Transit(DEFAULT_CARRIER, days)


def test_the_defaults_know_no_other_service_level():
    assert find_transit([], "same_day", "FR", "FR", 10) is None


RULES = [
    TransitRule("anypost", "standard", None, None, None, 6),
    TransitRule("frpost", "standard", None, "FR", None, 3),
    TransitRule("dhl", "standard", "DE", "FR", None, 2),
    TransitRule("dhl-near", "standard", "DE", "FR", 300, 1),
    TransitRule("dhl-mid", "standard", "DE", "FR", 600, 2),
    TransitRule("frpost", "express", "FR", "FR", None, 1),
]


@pytest.mark.parametrize(
    ("origin", "dest", "km", "carrier"),
    [
        ("DE", "FR", 200, "dhl-near"),  # origin + destination + the tightest band
        ("DE", "FR", 500, "dhl-mid"),
        ("DE", "FR", 900, "dhl"),  # beyond every band: origin + destination
        ("BE", "FR", 200, "frpost"),  # destination only
        ("ES", "IT", 200, "anypost"),  # wildcard
    ],
)
def test_the_most_specific_matching_rule_wins(origin, dest, km, carrier):
    assert find_transit(RULES, "standard", origin, dest, km).carrier == carrier


def test_among_equally_specific_rules_the_fastest_wins():
    rules = [
        TransitRule("slow", "standard", "FR", "FR", None, 3),
        TransitRule("fast", "standard", "FR", "FR", None, 1),
    ]
    assert find_transit(rules, "standard", "FR", "FR", 100) == Transit("fast", 1)


def test_configured_rules_without_a_route_leave_it_unserved():
    assert find_transit(RULES, "express", "DE", "FR", 400) is None
    assert find_transit(RULES, "express", "FR", "FR", 400) == Transit("frpost", 1)


def test_a_transit_table_answers_as_its_rules_do():
    rules = [TransitRule("colis", "standard", "FR", None, None, 2), TransitRule("dhl", "standard", None, "DE", 900, 3)]
    table = TransitTable(rules)
    for route in (("standard", "FR", "FR", 300.0), ("standard", "FR", "DE", 800.0), ("express", "FR", "FR", 10.0)):
        assert table.find(*route) == find_transit(rules, *route)
    rules.clear()  # the table keeps its own copy of the rules
    assert table.find("standard", "FR", "DE", 800.0) == Transit("dhl", 3)
