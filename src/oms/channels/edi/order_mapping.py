"""An 850 purchase order as the OMS's order-capture command (OrderCreate), or why it cannot be one.

Each part of the command is validated on its own against the segment it came from, so a problem names
the element at fault ("N404 ...", "PO104 ..."). Products are resolved through a `Catalogue` the caller
fetched for the whole interchange: a seller SKU (VP, SK) as is, a GTIN (UP, EN) by the product barcode.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from oms.channels.edi.purchase_order import Location, PoLine, PurchaseOrder
from oms.channels.edi.settings import EdiSettings
from oms.channels.edi.x12 import Problem, Segment
from oms.services.order_models import Address, CustomerIn, LineIn, OrderCreate

GTIN_LENGTHS = (8, 12, 13, 14)
Where = tuple[Segment | None, int | None]
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Catalogue:
    skus: frozenset[str]  # active SKUs among those the purchase orders name
    gtins: Mapping[str, str]  # gtin_key(barcode) -> SKU, for the GTINs they name
    stores: Mapping[str, dict]  # node id -> its address, for the active pickup stores the settings name


def gtin_key(code: str) -> str | None:
    """A GTIN without its leading zeros: UPC-A, EAN-13 and GTIN-14 forms of one code share it."""
    return (code.lstrip("0") or "0") if code.isdigit() and len(code) <= max(GTIN_LENGTHS) else None


def gtin_forms(code: str) -> list[str]:
    """The ways a barcode column may spell the GTIN `code` (zero-padded to 8, 12, 13 or 14 digits)."""
    key = gtin_key(code)
    return [key.zfill(n) for n in GTIN_LENGTHS if len(key) <= n] if key else []


def product_ids(orders: list[PurchaseOrder], settings: EdiSettings) -> tuple[set[str], set[str]]:
    """The SKUs and barcodes to look up for `orders`."""
    pairs = [pair for order in orders for line in order.lines for pair in line.product_ids]
    skus = {code for qualifier, code in pairs if qualifier in settings.sku_qualifiers}
    barcodes = {form for qualifier, code in pairs if qualifier in settings.gtin_qualifiers for form in gtin_forms(code)}
    return skus, barcodes


def to_order(po: PurchaseOrder, channel: str, settings: EdiSettings, catalogue: Catalogue) -> OrderCreate | list[Problem]:
    problems = list(po.problems)
    ship_to, pickup_node = _ship_to(po, settings, catalogue, problems)
    customer = _customer(po, settings, problems)
    lines = _lines(po, settings, catalogue, problems)
    currency = po.currency[1] if po.currency else "EUR"
    if po.currency and not (len(currency) == 3 and currency.isalpha() and currency.isupper()):
        problems.append(Problem.at(po.currency[0], 2, f"CUR02 is {currency}: an ISO 4217 code is expected"))
    if problems:
        return problems
    service_level = "pickup" if pickup_node else next(
        (settings.service_levels[c.upper()] for c in po.service_codes if c.upper() in settings.service_levels),
        "standard")  # fmt: skip
    notes = "; ".join([f"PO date {po.date.isoformat()}"] + [f"REF {q} {v}" for q, v in po.references])[:2000]
    try:
        return OrderCreate(channel=channel, external_id=po.number, customer=customer, ship_to=ship_to,
                           service_level=service_level, pickup_node_id=pickup_node, currency=currency, lines=lines,
                           promised_delivery_date=po.requested_delivery, notes=notes)  # fmt: skip
    except ValidationError as error:
        return [Problem.at(po.transaction_set.header, None, f"{'.'.join(map(str, e['loc']))}: {e['msg']}")
                for e in error.errors()]  # fmt: skip


def locate(po: PurchaseOrder, path: tuple) -> Where:
    """The segment (and element) an order field came from: for errors capture itself finds."""
    if path[:1] == ("lines",) and len(path) > 1 and isinstance(path[1], int) and path[1] < len(po.lines):
        return po.lines[path[1]].segment, None
    if path[:1] in (("ship_to",), ("pickup_node_id",)) and (ship_to := po.location("ST")):
        return ship_to.n1, None
    return po.transaction_set.header, None


def _ship_to(po: PurchaseOrder, settings: EdiSettings, catalogue: Catalogue,
             problems: list[Problem]) -> tuple[Address | None, str | None]:  # fmt: skip
    """The ship-to address, and the pickup store when its location code (N1*ST ... *92*code) names one."""
    places = [loc for loc in po.locations if loc.role == "ST"]
    if not places:
        problems.append(Problem.at(po.transaction_set.header, None, "the purchase order has no ship-to (N1*ST)"))
        return None, None
    problems += [Problem.at(loc.n1, 1, "a second ship-to: one ship-to per purchase order") for loc in places[1:]]
    place = places[0]
    qualifier, code = place.code
    store_id = settings.stores.get(code.upper()) if qualifier == "92" and code else None
    store = catalogue.stores.get(store_id) if store_id else None
    if store_id and store is None:
        problems.append(Problem.at(place.n1, 4, f"location {code} is store {store_id}, no active pickup store"))
    if store and place.n3 is None and place.n4 is None:
        return _validated(Address, {**store, "name": place.n1[2] or store["name"]}, {}, place.n1, problems), store_id
    return _address(place, settings, problems), store_id


def _address(place: Location, settings: EdiSettings, problems: list[Problem]) -> Address | None:
    for segment, tag, what in ((place.n3, "N3", "street"), (place.n4, "N4", "city and postal code")):
        if segment is None:
            problems.append(Problem.at(place.n1, None, f"the {place.role} party has no {what} ({tag})"))
    if place.n3 is None or place.n4 is None:
        return None
    n1, n2, n3, n4 = place.n1, place.n2, place.n3, place.n4
    name = " ".join(filter(None, [n1[2], n2[1] if n2 else "", n2[2] if n2 else ""]))
    city = ", ".join(filter(None, [n4[1], n4[2]]))  # N402: the state or province, kept with the city
    data = {"name": name, "line1": n3[1], "line2": n3[2] or None, "city": city, "postal_code": n4[3],
            "country": n4[4] or settings.default_country}  # fmt: skip
    where = {"name": (n1, 2), "line1": (n3, 1), "line2": (n3, 2), "city": (n4, 1), "postal_code": (n4, 3),
             "country": (n4, 4)}  # fmt: skip
    return _validated(Address, data, where, n1, problems)


def _customer(po: PurchaseOrder, settings: EdiSettings, problems: list[Problem]) -> CustomerIn | None:
    """The buyer (N1*BY, else bill-to BT, else the ship-to) with the PER contact's e-mail and phone."""
    party = po.location("BY", "BT", "ST")
    contact = po.contact
    email = (contact.email if contact else None) or settings.default_email
    anchor = contact.segment if contact else po.beg or po.transaction_set.header
    if email is None:
        problems.append(Problem.at(anchor, None, "no e-mail for the customer: a PER with EM, or the partner's"
                                                 " default_email setting, is needed"))  # fmt: skip
        return None
    name = (party.n1[2] if party else "") or (contact.name if contact else "")
    data = {"name": name, "email": email, "phone": contact.phone if contact else None}
    where = {"name": (party.n1, 2) if party else (anchor, None), "email": (anchor, None), "phone": (anchor, None)}
    return _validated(CustomerIn, data, where, anchor, problems)


def _lines(po: PurchaseOrder, settings: EdiSettings, catalogue: Catalogue, problems: list[Problem]) -> list[LineIn]:
    lines: list[LineIn] = []
    first_of: dict[str, PoLine] = {}
    if not po.lines:
        problems.append(Problem.at(po.transaction_set.header, None, "the purchase order has no PO1 line"))
    for line in po.lines:
        po1 = line.segment
        sku, element = _product(line, settings, catalogue)
        if sku is None:
            ids = ", ".join(f"{q} {v}" for q, v in line.product_ids) or "none"
            problems.append(Problem.at(po1, 7, f"no product we sell has any of its ids ({ids})"))
        elif sku in first_of:
            problems.append(Problem.at(po1, element, f"orders {sku} again (as the PO1 at segment"
                                                     f" {first_of[sku].segment.position}): one line per product"))  # fmt: skip
        if line.unit not in settings.units:
            accepted = ", ".join(settings.units)
            problems.append(Problem.at(po1, 3, f"PO103 unit {line.unit or 'missing'} is not taken: {accepted}"))
        if sku is None or line.quantity is None or line.unit_price is None or sku in first_of:
            continue
        first_of[sku] = line
        data = {"sku": sku, "quantity": line.quantity, "unit_price": line.unit_price,
                "external_line_id": line.line_id or None}  # fmt: skip
        where = {"sku": (po1, element), "quantity": (po1, 2), "unit_price": (po1, 4), "external_line_id": (po1, 1)}
        if validated := _validated(LineIn, data, where, po1, problems):
            lines.append(validated)
    return lines


def _product(line: PoLine, settings: EdiSettings, catalogue: Catalogue) -> tuple[str | None, int | None]:
    """The SKU the line's first resolvable product id names, and that id's element number."""
    for index, (qualifier, code) in enumerate(line.product_ids):
        element = 7 + 2 * index
        if qualifier in settings.sku_qualifiers and code in catalogue.skus:
            return code, element
        if qualifier in settings.gtin_qualifiers and (sku := catalogue.gtins.get(gtin_key(code) or "")):
            return sku, element
    return None, None


def _validated(model: type[M], data: dict, where: dict[str, Where], anchor: Segment,
               problems: list[Problem]) -> M | None:  # fmt: skip
    """`model` from `data`, or None with a problem per invalid field, at the segment element it came from."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for e in error.errors():
            field = str(e["loc"][0]) if e["loc"] else ""
            segment, n = where.get(field, (anchor, None))
            label = segment.name(n) if n else field
            problems.append(Problem.at(segment or anchor, n, f"{label} {data.get(field)!r}: {e['msg']}"))
        return None
