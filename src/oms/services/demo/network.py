"""Sales channels and the fulfilment network: a main warehouse near Lyon, a German 3PL near Erfurt, a
small Belgian 3PL near Liège, and ten stores in city centres that ship to customers and serve pickups."""

from dataclasses import dataclass
from datetime import time

from oms.services.demo.places import TIMEZONES, road_km

CHANNELS = (
    ("web", "Web shop", "web"),
    ("marketplace", "Marketplaces", "marketplace"),
    ("store", "Stores (endless aisle)", "store"),
    ("b2b", "B2B: clubs, schools, outfitters", "b2b"),
    ("call_center", "Call centre", "call_center"),
)


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    name: str
    type: str
    line1: str
    postal_code: str
    city: str
    country: str
    lat: float
    lon: float
    processing_days: int
    cutoff: time
    capacity: int
    priority: int

    @property
    def timezone(self) -> str:
        return TIMEZONES[self.country]

    @property
    def is_store(self) -> bool:
        return self.type == "store"

    @property
    def fulfilment_types(self) -> list[str]:
        return ["ship_from_store", "pickup"] if self.is_store else ["ship"]

    def km_to(self, lat: float, lon: float) -> float:
        return road_km(self.lat, self.lon, lat, lon)


def _store(code: str, city: str, line1: str, postal: str, country: str, lat: float, lon: float,
           capacity: int) -> Node:
    # Stores hand parcels over once a day, late afternoon, after the shop-floor rush; one day to pick.
    return Node(f"ST-{code}", f"Store {city}", "store", line1, postal, city, country, lat, lon, 1,
                time(16, 0), capacity, 60)


NODES = (
    Node("WH-LYON", "Main warehouse Lyon Saint-Quentin-Fallavier", "warehouse",
         "ZAC de Chesnes, 45 rue du Ruisseau", "38070", "Saint-Quentin-Fallavier", "FR", 45.6380, 5.1095, 0,
         time(15, 0), 300, 10),
    Node("3PL-ERFURT", "3PL Erfurt (Güterverkehrszentrum)", "3pl", "Logistikpark Vieselbach, Halle 3",
         "99098", "Erfurt", "DE", 50.9955, 11.1330, 0, time(13, 0), 170, 20),
    Node("3PL-LIEGE", "3PL Liège Airport", "3pl", "Rue de l'Aéroport 12",
         "4460", "Grâce-Hollogne", "BE", 50.6375, 5.4600, 1, time(12, 0), 90, 30),
    _store("PARIS", "Paris", "112 rue de Rivoli", "75001", "FR", 48.8600, 2.3430, 60),
    _store("LYON", "Lyon", "58 rue de la République", "69002", "FR", 45.7620, 4.8357, 45),
    _store("BORDEAUX", "Bordeaux", "95 rue Sainte-Catherine", "33000", "FR", 44.8400, -0.5737, 35),
    _store("LILLE", "Lille", "31 rue Neuve", "59800", "FR", 50.6367, 3.0650, 35),
    _store("ANNECY", "Annecy", "12 rue Royale", "74000", "FR", 45.8990, 6.1257, 30),
    _store("KOELN", "Köln", "Hohe Straße 120", "50667", "DE", 50.9383, 6.9570, 45),
    _store("MUENCHEN", "München", "Kaufingerstraße 15", "80331", "DE", 48.1379, 11.5720, 50),
    _store("BERLIN", "Berlin", "Friedrichstraße 140", "10117", "DE", 52.5190, 13.3880, 45),
    _store("BRUXELLES", "Bruxelles", "Rue Neuve 61", "1000", "BE", 50.8520, 4.3560, 35),
    _store("AMSTERDAM", "Amsterdam", "Kalverstraat 120", "1012 PH", "NL", 52.3690, 4.8915, 35),
)

WAREHOUSES = tuple(n for n in NODES if not n.is_store)
STORES = tuple(n for n in NODES if n.is_store)
BY_ID = {n.id: n for n in NODES}


def channel_rows() -> list[tuple]:
    return list(CHANNELS)


def node_rows() -> list[tuple]:
    return [
        (n.id, n.name, n.type, n.line1, n.postal_code, n.city, n.country, n.lat, n.lon, n.timezone,
         n.processing_days, n.cutoff, n.capacity, n.priority, n.fulfilment_types)
        for n in NODES
    ]


CHANNEL_COLUMNS = ("id", "name", "type")
NODE_COLUMNS = ("id", "name", "type", "line1", "postal_code", "city", "country", "lat", "lon", "timezone",
                "processing_days", "cutoff_time", "daily_capacity", "priority", "fulfilment_types")
