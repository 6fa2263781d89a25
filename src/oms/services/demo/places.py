"""Real delivery destinations (city centres, real postal codes) and the geography the simulation uses.

Weights are rough populations in tens of thousands, so Paris gets many more orders than Pau.
"""

from dataclasses import dataclass

from oms.domain.geo import Point, haversine_km


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str
    postal_codes: tuple[str, ...]
    lat: float
    lon: float
    weight: int


def _arr(prefix: str, count: int) -> tuple[str, ...]:
    """Paris, Lyon and Marseille postal codes run by arrondissement: 75001 ... 75020."""
    return tuple(f"{prefix}{n:02d}" for n in range(1, count + 1))


CITIES: tuple[City, ...] = (
    City("Paris", "FR", _arr("750", 20), 48.8566, 2.3522, 215),
    City("Marseille", "FR", _arr("130", 16), 43.2965, 5.3698, 87),
    City("Lyon", "FR", _arr("690", 9), 45.7640, 4.8357, 52),
    City("Toulouse", "FR", ("31000", "31200", "31300", "31400", "31500"), 43.6047, 1.4442, 49),
    City("Nice", "FR", ("06000", "06100", "06200", "06300"), 43.7102, 7.2620, 34),
    City("Nantes", "FR", ("44000", "44100", "44200", "44300"), 47.2184, -1.5536, 32),
    City("Montpellier", "FR", ("34000", "34070", "34080", "34090"), 43.6108, 3.8767, 30),
    City("Strasbourg", "FR", ("67000", "67100", "67200"), 48.5734, 7.7521, 29),
    City("Bordeaux", "FR", ("33000", "33100", "33200", "33300", "33800"), 44.8378, -0.5792, 26),
    City("Lille", "FR", ("59000", "59160", "59260", "59800"), 50.6292, 3.0573, 23),
    City("Rennes", "FR", ("35000", "35200", "35700"), 48.1173, -1.6778, 22),
    City("Reims", "FR", ("51100",), 49.2583, 4.0317, 18),
    City("Toulon", "FR", ("83000", "83100", "83200"), 43.1242, 5.9280, 18),
    City("Saint-Étienne", "FR", ("42000", "42100"), 45.4397, 4.3872, 17),
    City("Grenoble", "FR", ("38000", "38100"), 45.1885, 5.7245, 16),
    City("Dijon", "FR", ("21000",), 47.3220, 5.0415, 16),
    City("Angers", "FR", ("49000", "49100"), 47.4784, -0.5632, 16),
    City("Clermont-Ferrand", "FR", ("63000", "63100"), 45.7772, 3.0870, 15),
    City("Tours", "FR", ("37000", "37100", "37200"), 47.3941, 0.6848, 14),
    City("Brest", "FR", ("29200",), 48.3904, -4.4861, 14),
    City("Annecy", "FR", ("74000",), 45.8992, 6.1294, 13),
    City("Limoges", "FR", ("87000", "87100"), 45.8336, 1.2611, 13),
    City("Perpignan", "FR", ("66000", "66100"), 42.6887, 2.8948, 12),
    City("Metz", "FR", ("57000", "57050", "57070"), 49.1193, 6.1757, 12),
    City("Orléans", "FR", ("45000",), 47.9030, 1.9093, 12),
    City("Caen", "FR", ("14000",), 49.1829, -0.3707, 11),
    City("Rouen", "FR", ("76000", "76100"), 49.4432, 1.0999, 11),
    City("Pau", "FR", ("64000",), 43.2951, -0.3708, 8),
    City("La Rochelle", "FR", ("17000",), 46.1603, -1.1511, 8),
    City("Ajaccio", "FR", ("20000", "20090"), 41.9192, 8.7386, 7),
    City("Bastia", "FR", ("20200",), 42.6977, 9.4508, 5),
    City("Chamonix-Mont-Blanc", "FR", ("74400",), 45.9237, 6.8694, 2),
    City("Berlin", "DE", ("10115", "10117", "10243", "10405", "10557", "10961", "12043", "13353"),
         52.5200, 13.4050, 366),
    City("Hamburg", "DE", ("20095", "20099", "22041", "22765", "21073"), 53.5511, 9.9937, 185),
    City("München", "DE", ("80331", "80333", "80469", "80801", "81667"), 48.1351, 11.5820, 148),
    City("Köln", "DE", ("50667", "50672", "50733", "50823", "51063"), 50.9375, 6.9603, 108),
    City("Frankfurt am Main", "DE", ("60311", "60313", "60486", "60594"), 50.1109, 8.6821, 76),
    City("Stuttgart", "DE", ("70173", "70176", "70182"), 48.7758, 9.1829, 63),
    City("Düsseldorf", "DE", ("40210", "40212", "40477"), 51.2277, 6.7735, 62),
    City("Leipzig", "DE", ("04109", "04155", "04277"), 51.3397, 12.3731, 60),
    City("Dortmund", "DE", ("44135", "44137"), 51.5136, 7.4653, 59),
    City("Essen", "DE", ("45127", "45128"), 51.4556, 7.0116, 58),
    City("Bremen", "DE", ("28195", "28199"), 53.0793, 8.8017, 57),
    City("Dresden", "DE", ("01067", "01069"), 51.0504, 13.7373, 56),
    City("Hannover", "DE", ("30159", "30161"), 52.3759, 9.7320, 54),
    City("Nürnberg", "DE", ("90402", "90403"), 49.4521, 11.0767, 52),
    City("Bonn", "DE", ("53111",), 50.7374, 7.0982, 33),
    City("Münster", "DE", ("48143",), 51.9607, 7.6261, 32),
    City("Mannheim", "DE", ("68159", "68161"), 49.4875, 8.4660, 31),
    City("Augsburg", "DE", ("86150",), 48.3705, 10.8978, 30),
    City("Kiel", "DE", ("24103",), 54.3233, 10.1228, 25),
    City("Freiburg im Breisgau", "DE", ("79098", "79100"), 47.9990, 7.8421, 23),
    City("Erfurt", "DE", ("99084",), 50.9787, 11.0328, 21),
    City("Rostock", "DE", ("18055",), 54.0924, 12.0991, 21),
    City("Garmisch-Partenkirchen", "DE", ("82467",), 47.4917, 11.0955, 3),
    City("Bruxelles", "BE", ("1000", "1050", "1060", "1180"), 50.8503, 4.3517, 120),
    City("Antwerpen", "BE", ("2000", "2018", "2060"), 51.2194, 4.4025, 53),
    City("Gent", "BE", ("9000",), 51.0543, 3.7174, 26),
    City("Charleroi", "BE", ("6000",), 50.4108, 4.4446, 20),
    City("Liège", "BE", ("4000", "4020"), 50.6326, 5.5797, 20),
    City("Brugge", "BE", ("8000",), 51.2093, 3.2247, 12),
    City("Namur", "BE", ("5000",), 50.4674, 4.8720, 11),
    City("Leuven", "BE", ("3000",), 50.8798, 4.7005, 10),
    City("Amsterdam", "NL", ("1012 JS", "1017 CT", "1052 AB", "1071 XX"), 52.3676, 4.9041, 87),
    City("Rotterdam", "NL", ("3011 AD", "3012 CL"), 51.9244, 4.4777, 65),
    City("Den Haag", "NL", ("2511 BT", "2514 EA"), 52.0705, 4.3007, 55),
    City("Utrecht", "NL", ("3511 LX", "3512 JE"), 52.0907, 5.1214, 36),
    City("Eindhoven", "NL", ("5611 AB",), 51.4416, 5.4697, 23),
    City("Groningen", "NL", ("9711 AB",), 53.2194, 6.5665, 23),
    City("Nijmegen", "NL", ("6511 AB",), 51.8126, 5.8372, 18),
    City("Maastricht", "NL", ("6211 CK",), 50.8514, 5.6910, 12),
)

TIMEZONES = {"FR": "Europe/Paris", "DE": "Europe/Berlin", "BE": "Europe/Brussels", "NL": "Europe/Amsterdam"}

# Départements of the French regions the carrier model treats apart (see lateness.py).
_FR_SOUTH_WEST = {"09", "16", "17", "24", "31", "32", "33", "40", "47", "64", "65", "79", "86", "87"}
_FR_SOUTH_EAST = {"04", "05", "06", "11", "13", "30", "34", "66", "83", "84"}
_FR_PARIS = {"75", "77", "78", "91", "92", "93", "94", "95"}


def region(country: str, postal_code: str) -> str:
    """Delivery region, derivable from the postal code alone (so a model can learn it from the data):
    FR by département group, DE by postal zone (first digit), BE by region (Brussels, Wallonia,
    Flanders), NL as a whole."""
    if country == "FR":
        dept = postal_code[:2]
        if dept == "20":
            return "FR-CORSE"
        for name, group in (("FR-IDF", _FR_PARIS), ("FR-SW", _FR_SOUTH_WEST), ("FR-SE", _FR_SOUTH_EAST)):
            if dept in group:
                return name
        return "FR-OTHER"
    if country == "DE":
        zones = {"0": "DE-EAST", "1": "DE-EAST", "8": "DE-SOUTH", "9": "DE-SOUTH"}
        return zones.get(postal_code[0], "DE-WEST")
    if country == "BE":
        code = int(postal_code[:4])
        return "BE-BRU" if code < 1300 else "BE-WAL" if 4000 <= code < 8000 or code < 1500 else "BE-FL"
    return country


def road_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance times a typical road detour factor of 1.25."""
    return round(haversine_km(Point(lat1, lon1), Point(lat2, lon2)) * 1.25, 1)
