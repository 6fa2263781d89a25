"""Countries named in the six languages (or by ISO code) as ISO 3166-1 alpha-2 codes, and the country
a postal code's format implies when an address has no country line."""

import re

from oms.channels.documents.labels import normalise

_NAMES = {
    "DE": "germany|deutschland|allemagne|duitsland|alemania|germania|federal republic of germany",
    "FR": "france|frankreich|frankrijk|francia",
    "NL": "netherlands|the netherlands|holland|niederlande|pays bas|nederland|paises bajos|paesi bassi",
    "BE": "belgium|belgien|belgique|belgie|belgica|belgio",
    "ES": "spain|spanien|espagne|spanje|espana|spagna",
    "IT": "italy|italien|italie|italia",
    "GB": "united kingdom|uk|great britain|england|scotland|wales|vereinigtes konigreich|royaume uni|"
    "verenigd koninkrijk|reino unido|regno unito|gran bretagna|grossbritannien",
    "US": "united states|usa|united states of america|us|vereinigte staaten|etats unis|verenigde staten|"
    "estados unidos|stati uniti",
    "AT": "austria|osterreich|autriche|oostenrijk",
    "CH": "switzerland|schweiz|suisse|zwitserland|suiza|svizzera",
    "LU": "luxembourg|luxemburg|lussemburgo|luxemburgo",
    "PT": "portugal|portogallo",
    "IE": "ireland|irland|irlande|ierland|irlanda",
    "DK": "denmark|danemark|danemark|denemarken|dinamarca|danimarca",
    "SE": "sweden|schweden|suede|zweden|suecia|svezia",
    "NO": "norway|norwegen|norvege|noorwegen|noruega|norvegia",
    "PL": "poland|polen|pologne|polonia",
    "CZ": "czech republic|czechia|tschechien|republique tcheque|tsjechie|republica checa|repubblica ceca",
    "CA": "canada|kanada",
}
_BY_NAME = {name: code for code, names in _NAMES.items() for name in names.split("|")}
_PREFIXES = {
    "D": "DE",
    "F": "FR",
    "NL": "NL",
    "B": "BE",
    "E": "ES",
    "I": "IT",
    "A": "AT",
    "CH": "CH",
    "L": "LU",
    "P": "PT",
    "DK": "DK",
    "S": "SE",
    "N": "NO",
    "PL": "PL",
    "CZ": "CZ",
}
_FIVE_DIGITS = {"de": "DE", "fr": "FR", "es": "ES", "it": "IT"}
_ISO_CODES = frozenset(_NAMES)


def country_code(text: str) -> str | None:
    """The country a line names ("Deutschland", "Pays-Bas", "USA", "DE"), or None."""
    stripped = text.strip()
    if stripped.upper() in _ISO_CODES and len(stripped) == 2 and stripped.isupper():
        return stripped
    return _BY_NAME.get(normalise(stripped))


_CURRENCIES = {"CHF": "CH", "GBP": "GB", "USD": "US", "PLN": "PL", "SEK": "SE", "DKK": "DK", "NOK": "NO",
               "CZK": "CZ", "CAD": "CA"}  # fmt: skip


def country_of_currency(currency: str | None) -> str | None:
    """The country a domestic order's currency implies, for an address printed without its country."""
    return _CURRENCIES.get(currency or "")


def country_of_postal_code(postal_code: str, prefix: str | None, language: str | None) -> str | None:
    """The country a postal code's format implies: a D-/F-/NL- prefix, 1234 AB (NL), a US ZIP beside a
    state, a UK postcode; five plain digits by the document's language."""
    if prefix:
        return _PREFIXES.get(prefix.upper())
    if re.fullmatch(r"\d{4} ?[A-Z]{2}", postal_code):
        return "NL"
    if re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}", postal_code):
        return "GB"
    if re.fullmatch(r"\d{5}", postal_code):
        return _FIVE_DIGITS.get(language or "")
    return None
