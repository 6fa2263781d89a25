"""Importable rate tables: one CSV row per weight break of a rate card.

Columns (header required, in any order):
  carrier          carrier code, e.g. dhl
  service          standard or express
  origin_country   ISO code of the shipping node's country, blank for any
  dest_country     ISO code of the destination country, blank for any
  max_distance_km  upper bound of the distance band, blank for no limit
  max_weight_kg    the weight break: shipments up to this weight pay `price`
  price            price of the break
  base_fee         fixed fee per shipment (optional, blank is 0); the same on every row of a card
  per_kg_over      price per kg above the card's heaviest break (optional, blank is 0); same on every row

Rows with the same carrier, service, origin_country, dest_country and max_distance_km form one card.
Every problem is reported with its row number (the header is row 1), not just the first.
"""

import csv
import io

from oms.domain.routing.rates import RateCard

SERVICES = ("standard", "express")
REQUIRED = (
    "carrier",
    "service",
    "origin_country",
    "dest_country",
    "max_distance_km",
    "max_weight_kg",
    "price",
)
OPTIONAL = ("base_fee", "per_kg_over")


class RateTableError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("invalid rate table:\n" + "\n".join(errors))
        self.errors = errors


def parse_rate_csv(text: str) -> list[RateCard]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise RateTableError([f"row 1: missing column(s) {', '.join(missing)}"])
    errors: list[str] = []
    groups: dict[tuple, list[tuple[int, dict]]] = {}
    for row_no, row in enumerate(reader, start=2):
        parsed, problems = _parse_row(row)
        errors += [f"row {row_no}: {p}" for p in problems]
        if not problems:
            key = tuple(parsed[c] for c in REQUIRED[:5])
            groups.setdefault(key, []).append((row_no, parsed))
    cards = []
    for key, rows in groups.items():
        card, problem = _card(key, rows)
        if problem:
            errors.append(problem)
        else:
            cards.append(card)
    if errors:
        raise RateTableError(errors)
    return cards


def _parse_row(row: dict) -> tuple[dict, list[str]]:
    cell = {c: (row.get(c) or "").strip() for c in REQUIRED + OPTIONAL}
    parsed: dict = {"carrier": cell["carrier"], "service": cell["service"]}
    problems = [] if cell["carrier"] else ["carrier: required"]
    if cell["service"] not in SERVICES:
        problems.append(f"service: one of {', '.join(SERVICES)}, not '{cell['service']}'")
    for column in ("origin_country", "dest_country"):
        code = cell[column]
        if code and not (len(code) == 2 and code.isalpha() and code.isupper()):
            problems.append(f"{column}: a two-letter country code in capitals, or blank for any")
        parsed[column] = code or None
    for column, blank in (
        ("max_distance_km", None),
        ("max_weight_kg", "required"),
        ("price", "required"),
        ("base_fee", 0.0),
        ("per_kg_over", 0.0),
    ):
        value, problem = _number(cell[column], blank)
        parsed[column] = value
        if problem:
            problems.append(f"{column}: {problem}")
    return parsed, problems


def _number(text: str, blank) -> tuple[float | None, str | None]:
    if not text:
        return (None, "required") if blank == "required" else (blank, None)
    try:
        value = float(text)
    except ValueError:
        return None, f"not a number: '{text}'"
    return (value, None) if value >= 0 else (None, "may not be negative")


def _card(key: tuple, rows: list[tuple[int, dict]]) -> tuple[RateCard | None, str | None]:
    first_row = rows[0][0]
    for column in OPTIONAL:
        if len({parsed[column] for _, parsed in rows}) > 1:
            return None, f"row {first_row}: {column} differs between rows of the same card"
    ordered = sorted(rows, key=lambda r: r[1]["max_weight_kg"])
    breaks = tuple((p["max_weight_kg"], p["price"]) for _, p in ordered)
    fees = rows[0][1]
    try:
        return RateCard(*key, breaks, fees["base_fee"], fees["per_kg_over"]), None
    except ValueError as exc:
        return None, f"row {first_row}: {exc}"
