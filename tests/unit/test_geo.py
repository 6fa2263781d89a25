import pytest

from oms.domain.geo import Point, UnknownCountry, haversine_km, locate

# fmt: off
EU = ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
      "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE")
# fmt: on


def test_haversine_gives_the_great_circle_distance():
    paris, lyon = Point(48.857, 2.352), Point(45.764, 4.836)
    assert haversine_km(paris, lyon) == pytest.approx(392, rel=0.01)
    assert haversine_km(lyon, lyon) == 0


@pytest.mark.parametrize(
    ("country", "postal_code", "area"),
    [
        ("FR", "75011", "Paris"),
        ("FR", "69007", "Rhône"),
        ("FR", "20000", "Corse-du-Sud (2A)"),
        ("FR", "20200", "Haute-Corse (2B)"),
        ("DE", "50667", "Köln"),
        ("DE", "10115", "Berlin"),
        ("BE", "1000", "Brussels"),
        ("BE", "2000", "Antwerp"),
        ("NL", "1012 AB", "Amsterdam"),
        ("ES", "28001", "Madrid"),
        ("IT", "20121", "Milano"),
        ("AT", "6020", "Tirol (Innsbruck)"),
        ("AT", "6900", "Vorarlberg"),
        ("CH", "1201", "Genève"),
        ("CH", "1003", "Lausanne"),
        ("GB", "SW1A 1AA", "London SW"),
        ("GB", "B1 1AA", "Birmingham"),
        ("GB", "BA1 1AA", "Bath"),
    ],
)
def test_the_longest_matching_postal_prefix_wins(country, postal_code, area):
    assert locate(country, postal_code).name == area


def test_case_spaces_and_dashes_do_not_matter():
    assert locate("gb", "sw1a-1aa") == locate("GB", "SW1A1AA")


def test_an_unknown_prefix_falls_back_to_the_country_centroid():
    assert locate("FR", "97100").name == "France"
    assert locate("PL", "00-950").name == "Poland"


def test_every_eu_country_has_a_fallback_area():
    assert all(locate(country, "").point for country in EU)


def test_every_mainland_french_departement_has_its_own_area():
    departements = [f"{n:02d}" for n in range(1, 96) if n != 20]
    assert all(locate("FR", f"{d}000").name != "France" for d in departements)


def test_an_unknown_country_is_refused():
    with pytest.raises(UnknownCountry, match="'XX'"):
        locate("XX", "12345")
