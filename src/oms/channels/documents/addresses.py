"""An address block's lines as a Party: the name first, then the street lines, the line with postal code
and city (in its European, Dutch, British or American form) and an optional country line."""

import re

from oms.channels.documents.countries import country_code, country_of_postal_code
from oms.channels.documents.model import Party

_POSTAL_CITY = (  # most specific first: "1012 AB Amsterdam" is also four digits and a word
    re.compile(r"^(?:(?P<prefix>NL)[- ])?(?P<postal>\d{4} ?[A-Z]{2})\s+(?P<city>\D.*)$"),
    re.compile(r"^(?:(?P<prefix>[A-Z]{1,2})[- ])?(?P<postal>\d{4,5})\s+(?P<city>\D.*)$"),
    re.compile(r"^(?P<city>[^,\d]+),?\s+(?P<state>[A-Z]{2})\s+(?P<postal>\d{5}(?:-\d{4})?)$"),
    re.compile(r"^(?P<city>[^,\d]+?),?\s+(?P<postal>[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2})$"),
)
_STREET_AND_TOWN = (  # one line for both: "1200 Harbor Blvd, Portland, OR 97209", "Hauptstraße 5, 50667 Köln"
    re.compile(r"^(?P<street>.*\d.*),\s*(?P<town>[^,\d]+,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)$"),
    re.compile(r"^(?P<street>.*\d.*?),\s*(?P<town>(?:[A-Z]{1,2}-)?\d{4,5}\s+[^\d,]+)$"),
)
_UK_POSTCODE = re.compile(r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}")
_PROVINCE = re.compile(r"\s*\(?\b[A-Z]{2}\)?$")  # 20121 Milano (MI)
_ATTENTION = re.compile(  # a person's name in the block: no address line
    r"^(?:attn|attention|z\s?\.?\s?hd|a l.attention|t\.?a\.?v|c\.a|a la atenci[oó]n|all.attenzione)\b",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"^(?:tel|phone|telefon|telephone|telefoon|telefono|fon|t)\b\.?:?\s*(.+)$", re.IGNORECASE)


def parse_party(lines: list[str], language: str | None = None) -> Party:
    """The party an address block names. Lines that are an e-mail address or a phone number go to those
    fields; the postal line is searched from the bottom, since a name may hold digits."""
    party = Party()
    kept = [line.strip() for line in lines if line.strip() and not _contact(line, party)]
    if not kept:
        return party
    party.name, rest = kept[0], kept[1:]
    if rest and (code := country_code(rest[-1])):
        party.country, rest = code, rest[:-1]
    rest = _joined_postcode([part for line in rest for part in _street_and_town(line)])
    postal_index = next((i for i in reversed(range(len(rest))) if _postal_match(rest[i])), None)
    if postal_index is not None:
        _read_postal_line(party, _postal_match(rest[postal_index]), language)
        rest = rest[:postal_index]
    party.line1 = rest[0] if rest else None
    party.line2 = ", ".join(rest[1:]) or None
    return party


def _joined_postcode(lines: list[str]) -> list[str]:
    """A British postcode on a line of its own, under the town ("Leeds" / "LS10 1QP"), as one line."""
    if len(lines) >= 2 and _UK_POSTCODE.fullmatch(lines[-1]) and not any(c.isdigit() for c in lines[-2]):
        return [*lines[:-2], f"{lines[-2]} {lines[-1]}"]
    return lines


def _street_and_town(line: str) -> list[str]:
    """A letterhead's address on one line, as its street and its town line."""
    match = next((m for pattern in _STREET_AND_TOWN if (m := pattern.match(line))), None)
    return [match["street"], match["town"]] if match else [line]


def _contact(line: str, party: Party) -> bool:
    if _ATTENTION.match(line.strip()):
        return True
    if email := EMAIL.search(line):
        party.email = party.email or email[0]
        return True
    if phone := _PHONE.match(line.strip()):
        party.phone = party.phone or phone[1]
        return True
    return False


def _postal_match(line: str) -> re.Match | None:
    return next((m for pattern in _POSTAL_CITY if (m := pattern.match(line))), None)


def _read_postal_line(party: Party, match: re.Match, language: str | None) -> None:
    groups = match.groupdict()
    party.postal_code = groups["postal"]
    city = groups["city"].strip().rstrip(",")
    if "state" not in groups and party.country in (None, "IT", "ES") and _PROVINCE.search(city):
        city = _PROVINCE.sub("", city) or city
    party.city = city
    if party.country is None:
        party.country = (
            "US"
            if groups.get("state")
            else country_of_postal_code(party.postal_code, groups.get("prefix"), language)
        )
