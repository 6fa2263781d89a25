"""Customers: consumers in FR, DE, BE and NL with a home address and a tier, plus business accounts.

Emails use the reserved example.com/.net/.org domains, so no demo mail can ever reach a real person.
A customer's `propensity` (how often they order) grows with the tier: loyal customers order more.
"""

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from oms.services.demo.people import BUSINESSES, FIRST_NAMES, LAST_NAMES, STREETS
from oms.services.demo.places import CITIES, City

_COUNTRY_MIX = {"FR": 0.55, "DE": 0.28, "BE": 0.10, "NL": 0.07}
_TIERS = (("standard", 0.78, 1.0), ("silver", 0.15, 2.5), ("gold", 0.07, 5.0))
_DOMAINS = ("example.com", "example.net", "example.org")


@dataclass(frozen=True, slots=True)
class Customer:
    id: int
    email: str
    name: str
    tier: str
    city: City
    postal_code: str
    line1: str
    propensity: float
    created_at: datetime

    @property
    def is_business(self) -> bool:
        return self.tier == "business"

    def address(self) -> dict:
        return {"name": self.name, "line1": self.line1, "postal_code": self.postal_code,
                "city": self.city.name, "country": self.city.country}


def _slug(text: str, sep: str = ".") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return sep.join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def _street(rng: random.Random, country: str) -> str:
    number_first, streets = STREETS[country]
    number, street = rng.randint(1, 140), rng.choice(streets)
    return f"{number} {street}" if number_first else f"{street} {number}"


class _CustomerFactory:
    def __init__(self, rng: random.Random, since: datetime):
        self.rng, self.since = rng, since
        self.emails: set[str] = set()
        self.cities = {c: [city for city in CITIES if city.country == c] for c in _COUNTRY_MIX}

    def _unique_email(self, local: str) -> str:
        email, n = f"{local}@{self.rng.choice(_DOMAINS)}", 1
        while email in self.emails:
            n += 1
            email = f"{local}{n}@{self.rng.choice(_DOMAINS)}"
        self.emails.add(email)
        return email

    def _home(self, country: str) -> tuple[City, str, str]:
        candidates = self.cities[country]
        city = self.rng.choices(candidates, weights=[c.weight for c in candidates])[0]
        return city, self.rng.choice(city.postal_codes), _street(self.rng, country)

    def consumer(self, customer_id: int) -> Customer:
        rng = self.rng
        country = rng.choices(list(_COUNTRY_MIX), weights=list(_COUNTRY_MIX.values()))[0]
        first, last = rng.choice(FIRST_NAMES[country]), rng.choice(LAST_NAMES[country])
        local = rng.choice((f"{first}.{last}", f"{first}{last}", f"{first[0]}.{last}", f"{first}.{last[0]}"))
        tier, _, boost = rng.choices(_TIERS, weights=[t[1] for t in _TIERS])[0]
        city, postal, line1 = self._home(country)
        return Customer(customer_id, self._unique_email(_slug(local)), f"{first} {last}", tier, city, postal,
                        line1, boost * rng.lognormvariate(0, 0.8), self._joined())

    def business(self, customer_id: int) -> Customer:
        pattern, country = self.rng.choice(BUSINESSES)
        city, postal, line1 = self._home(country)
        name = pattern.format(city=city.name, name=self.rng.choice(LAST_NAMES[country]))
        email = self._unique_email("purchasing." + _slug(name, "-"))
        return Customer(customer_id, email, name, "business", city, postal, line1, 1.0, self._joined())

    def _joined(self) -> datetime:
        # Everyone signed up before the history starts, some of them years before.
        return self.since - timedelta(days=self.rng.uniform(1, 4 * 365))


def build_customers(rng: random.Random, since: datetime, consumers: int = 6000,
                    businesses: int = 150) -> list[Customer]:
    factory = _CustomerFactory(rng, since)
    people = [factory.consumer(i) for i in range(1, consumers + 1)]
    return people + [factory.business(consumers + i) for i in range(1, businesses + 1)]


CUSTOMER_COLUMNS = ("id", "email", "name", "tier", "created_at")


def customer_rows(customers: list[Customer]) -> list[tuple]:
    return [(c.id, c.email, c.name, c.tier, c.created_at) for c in customers]
