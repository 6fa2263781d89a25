"""Companies and addresses for the generated documents, printed as each country writes them."""

import random

from evals.order_entry.vocabulary import COUNTRY_NAMES

# country: (streets with a house number placeholder, (postal code, city) pairs, legal forms)
PLACES = {
    "US": (
        ["{n} Main Street", "{n} Oak Avenue", "{n} Market St, Suite 200"],
        [("62704", "Springfield, IL"), ("10001", "New York, NY"), ("94103", "San Francisco, CA")],
        ["Inc.", "LLC", "Corp."],
    ),
    "GB": (
        ["{n} High Street", "{n} Station Road", "Unit {n}, Riverside Park"],
        [("EC1A 1BB", "London"), ("M1 2AB", "Manchester"), ("LS1 4DT", "Leeds")],
        ["Ltd", "PLC"],
    ),
    "FR": (
        ["{n} rue de la République", "{n} avenue Jean Jaurès", "{n} boulevard Voltaire"],
        [("69002", "Lyon"), ("75011", "Paris"), ("31000", "Toulouse"), ("44000", "Nantes")],
        ["SARL", "SAS", "SA"],
    ),
    "BE": (
        ["Rue Royale {n}", "Meir {n}", "Avenue Louise {n}"],
        [("1000", "Bruxelles"), ("2000", "Antwerpen"), ("4000", "Liège")],
        ["SA", "BV", "SRL"],
    ),
    "CH": (
        ["Bahnhofstrasse {n}", "Rue du Rhône {n}", "Via Nassa {n}"],
        [("8001", "Zürich"), ("1204", "Genève"), ("6900", "Lugano")],
        ["AG", "SA", "GmbH"],
    ),
    "DE": (
        ["Hauptstraße {n}", "Industriestraße {n}", "Am Markt {n}"],
        [("50667", "Köln"), ("10115", "Berlin"), ("80331", "München"), ("20095", "Hamburg")],
        ["GmbH", "AG", "KG"],
    ),
    "NL": (
        ["Keizersgracht {n}", "Stationsweg {n}", "Industrieweg {n}"],
        [("1015 CJ", "Amsterdam"), ("3011 AB", "Rotterdam"), ("3511 LN", "Utrecht")],
        ["B.V.", "N.V."],
    ),
    "ES": (
        ["Calle Mayor {n}", "Avenida de la Constitución {n}", "Calle de Alcalá {n}"],
        [("28013", "Madrid"), ("08002", "Barcelona"), ("46001", "Valencia")],
        ["S.L.", "S.A."],
    ),
    "IT": (
        ["Via Roma {n}", "Corso Vittorio Emanuele {n}", "Via Garibaldi {n}"],
        [("20121", "Milano"), ("00184", "Roma"), ("10121", "Torino")],
        ["S.r.l.", "S.p.A."],
    ),
}

COUNTRIES = {
    "en": ["US", "GB"],
    "fr": ["FR", "BE", "CH"],
    "de": ["DE", "CH"],
    "nl": ["NL", "BE"],
    "es": ["ES"],
    "it": ["IT", "CH"],
}
SURNAMES = [
    "Girard",
    "Müller",
    "De Vries",
    "Ruiz",
    "Bianchi",
    "Hartley",
    "Janssens",
    "Weber",
    "Moreau",
    "Rossi",
    "Peeters",
    "Schmidt",
    "García",
    "Bakker",
    "Fontaine",
    "Conti",
    "Walker",
    "Keller",
]
TRADES = [
    "Office Supplies",
    "Bürobedarf",
    "Fournitures",
    "Kantoorartikelen",
    "Papelería",
    "Cartoleria",
    "Trading",
    "Distribution",
    "Handel",
    "Industrie",
    "Outillage",
    "Technik",
    "Retail",
]
SITES = {
    "en": "Warehouse",
    "fr": "Entrepôt",
    "de": "Lager",
    "nl": "Magazijn",
    "es": "Almacén",
    "it": "Magazzino",
}


def company(rng: random.Random, country: str) -> str:
    form = rng.choice(PLACES[country][2])
    return f"{rng.choice(SURNAMES)} {rng.choice(TRADES)} {form}"


def address(rng: random.Random, name: str, country: str) -> dict:
    streets, towns, _ = PLACES[country]
    postal_code, city = rng.choice(towns)
    line1 = rng.choice(streets).format(n=rng.randint(1, 180))
    return {"name": name, "line1": line1, "postal_code": postal_code, "city": city, "country": country}


def site_name(rng: random.Random, buyer: str, language: str) -> str:
    """The ship-to's name: the buyer itself or one of its sites."""
    return buyer if rng.random() < 0.5 else f"{buyer} - {SITES[language]} {rng.choice(['Nord', 'Sud', '2'])}"


def printed(party: dict, language: str) -> list[str]:
    """The block as printed: name, street, the town line as the country writes it, the country's name."""
    country = party["country"]
    anglo = country in ("US", "GB")
    town = f"{party['city']} {party['postal_code']}" if anglo else f"{party['postal_code']} {party['city']}"
    return [party["name"], party["line1"], town, COUNTRY_NAMES[country][language]]


def truth(party: dict) -> dict:
    """As the extractor should read it: a US city without its state."""
    return party | {"city": party["city"].split(",")[0]}
