"""A Shopify order mapped to the OMS's capture command, and what the mapping decides:

- external_id is Shopify's order id; its name (#1001), tags and note go into the order's notes.
- A line is what Shopify still has to fulfil (fulfillable_quantity, else current_quantity, else quantity):
  units refunded, edited out or fulfilled elsewhere are not shipped (an order cancelled before it was
  captured takes the quantities ordered: it is captured, then cancelled). Its external_line_id is the line
  item's id. Line items of one SKU (a variant twice, with other properties) make one line: quantities
  added, the unit price averaged, ids joined.
- The unit price is what was paid: the price less the line's discount allocations, per unit.
- Gift cards, items needing no shipping and lines with nothing left to fulfil are left out and named in
  the notes; an order with nothing left to ship is not captured at all.
- A line item without a SKU takes the one its variant is mapped to (the channel's inventory items);
  without one it is refused, naming line_items.N.sku.
- The first shipping line's code and title give the service level (settings.service_levels, first
  match; standard otherwise); a pickup needs its store (settings.pickup_locations or location_id) and
  may have no shipping address (the billing address is kept instead).
- A financial status in settings.payment_hold_statuses captures the order on a payment-review hold.
Every problem names the Shopify field at fault (`shipping_address.zip`, `line_items.1.sku`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pydantic import ValidationError

from oms.channels.shopify.resources import CENT, ShippingLine, ShopifyOrder
from oms.channels.shopify.settings import ShopifySettings
from oms.domain.order_status import HoldType
from oms.services.errors import FieldError, ValidationFailed
from oms.services.order_models import OrderCreate

MAX_NOTES = 2000
MAX_LINE_REFERENCE = 100
_ADDRESS_FIELDS = {"name": "name", "line1": "address1", "line2": "address2", "postal_code": "zip", "city": "city",
                   "country": "country_code", "phone": "phone"}  # fmt: skip
_LINE_FIELDS = {"sku": "sku", "quantity": "quantity", "unit_price": "price", "external_line_id": "id"}
_ORDER_FIELDS = {"external_id": ("id",), "notes": ("note",), "currency": ("currency",), "lines": ("line_items",),
                 "pickup_node_id": ("shipping_lines", 0)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class MappedOrder:
    command: OrderCreate | None  # None: nothing left for the OMS to ship
    skipped: list[str]  # line items left out, and why
    line_items: dict[str, int]  # SKU -> index of its (first) line item, to name Shopify's field in errors


@dataclass(slots=True)
class _Line:
    index: int
    quantity: int = 0
    amount: Decimal = Decimal(0)
    ids: list[str] | None = None


def map_order(order: ShopifyOrder, channel: str, settings: ShopifySettings, variant_skus: Mapping[int, str],
              as_ordered: bool = False) -> MappedOrder:  # fmt: skip
    """`variant_skus` gives the SKU of variants whose line items carry none. `as_ordered` takes the
    quantities ordered rather than those left to fulfil (an order cancelled before it was captured)."""
    errors: list[FieldError] = []
    lines, skipped = _lines(order, variant_skus, errors, as_ordered)
    if not lines:  # nothing to ship, or only line items refused
        if errors:
            raise ValidationFailed(errors)
        return MappedOrder(None, skipped, {})
    shipping = order.shipping_lines[0] if order.shipping_lines else ShippingLine()
    level = service_level(shipping, settings)
    pickup = settings.pickup_node([shipping.title, shipping.code], order.location_id) if level == "pickup" else None
    if level == "pickup" and pickup is None:
        errors.append(FieldError(("shipping_lines", 0, "title"), f"pickup at '{shipping.title}', a location no"
                                 " store is mapped to (settings.pickup_locations)", "unknown_pickup_location"))  # fmt: skip
    address, address_path = order.shipping_address, "shipping_address"
    if address is None and level == "pickup" and order.billing_address is not None:
        address, address_path = order.billing_address, "billing_address"
    customer = order.customer
    data = {
        "channel": channel,
        "external_id": str(order.id),
        "customer": _present({
            "name": (customer and customer.person()) or (address and address.person()),
            "email": order.email or order.contact_email or (customer and customer.email),
            "phone": order.phone or (customer and customer.phone) or (address and address.phone),
        }),
        "ship_to": address and _present({ours: getattr(address, theirs) for ours, theirs in _ADDRESS_FIELDS.items()}
                                        | {"name": address.person()}),
        "service_level": level,
        "pickup_node_id": pickup,
        "currency": order.currency or "EUR",
        "lines": [{"sku": sku, "quantity": line.quantity, "unit_price": _unit_price(line),
                   "external_line_id": _reference(line.ids)} for sku, line in lines.items()],
        "hold": HoldType.PAYMENT_REVIEW if order.financial_status in settings.payment_hold_statuses else None,
        "notes": notes(order, skipped),
    }  # fmt: skip
    indexes = [line.index for line in lines.values()]
    try:
        command = OrderCreate.model_validate(_present(data))
    except ValidationError as error:
        errors += [FieldError(_shopify_path(e["loc"], address_path, indexes), e["msg"], e["type"])
                   for e in error.errors()]  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    return MappedOrder(command, skipped, {sku: line.index for sku, line in lines.items()})


def service_level(shipping: ShippingLine, settings: ShopifySettings) -> str:
    words = f"{shipping.code or ''} {shipping.title or ''}".lower()
    return next((rule.service_level for rule in settings.service_levels if rule.contains in words), "standard")


def notes(order: ShopifyOrder, skipped: list[str]) -> str:
    """The order's name as the shop knows it, its tags and note, and what the OMS does not ship."""
    parts = [f"Shopify order {order.name or order.id}"]
    if tags := order.tag_list():
        parts.append("tags: " + ", ".join(tags))
    if order.note and order.note.strip():
        parts.append("note: " + order.note.strip())
    if skipped:
        parts.append("not shipped by the OMS: " + "; ".join(skipped))
    return " | ".join(parts)[:MAX_NOTES]


def _lines(order: ShopifyOrder, variant_skus: Mapping[int, str], errors: list[FieldError],
           as_ordered: bool) -> tuple[dict[str, _Line], list[str]]:  # fmt: skip
    lines: dict[str, _Line] = {}
    skipped = []
    for index, item in enumerate(order.line_items):
        quantity = item.quantity if as_ordered else item.open_quantity()
        if item.gift_card or not item.requires_shipping:
            skipped.append(f"{item.label()} x{quantity} ({'gift card' if item.gift_card else 'needs no shipping'})")
            continue
        if quantity == 0:
            continue  # refunded, edited out or fulfilled already
        sku = (item.sku or "").strip() or variant_skus.get(item.variant_id or 0)
        if not sku:
            errors.append(FieldError(("line_items", index, "sku"), f"no SKU, and variant {item.variant_id} is not"
                                     " mapped to one (the channel's inventory items)", "missing"))  # fmt: skip
            continue
        line = lines.setdefault(sku, _Line(index, ids=[]))
        line.quantity += quantity
        line.amount += item.unit_paid() * quantity
        line.ids.append(str(item.id))
    return lines, skipped


def _unit_price(line: _Line) -> Decimal:
    return (line.amount / line.quantity).quantize(CENT, ROUND_HALF_UP)


def _reference(ids: list[str]) -> str:
    joined = ",".join(ids)
    return joined if len(joined) <= MAX_LINE_REFERENCE else ids[0]


def _present(values: dict) -> dict:
    """Without empty values, so that a required field left empty reads as missing."""
    return {key: value for key, value in values.items() if value not in (None, "")}


def _shopify_path(loc: tuple, address_path: str, line_items: list[int]) -> tuple:
    """Where Shopify's order has what the command's field `loc` was made of."""
    head, rest = loc[0], loc[1:]
    if head == "ship_to":
        return (address_path, *(_ADDRESS_FIELDS.get(str(name), name) for name in rest[:1]))
    if head == "customer":
        return {"email": ("email",), "phone": ("phone",)}.get(rest[0] if rest else "", ("customer", "first_name"))
    if head == "lines" and rest and isinstance(rest[0], int):
        return ("line_items", line_items[rest[0]], *(_LINE_FIELDS.get(str(name), name) for name in rest[1:2]))
    return _ORDER_FIELDS.get(head, loc)


def on_line_items(error: ValidationFailed, skus: list[str], line_items: dict[str, int]) -> ValidationFailed:
    """`error` about a command whose lines are of `skus` (in order), each field named as in the Shopify line
    item it came from (`line_items` gives a SKU's line item index)."""

    def path(loc: tuple) -> tuple:
        if len(loc) >= 2 and loc[0] in ("lines", "add_lines") and isinstance(loc[1], int) and loc[1] < len(skus):
            return ("line_items", line_items[skus[loc[1]]], *(_LINE_FIELDS.get(str(name), name) for name in loc[2:]))
        return _ORDER_FIELDS.get(loc[0], loc) if loc else loc

    return ValidationFailed([FieldError(path(e.path), e.message, e.code) for e in error.errors])


def unknown_skus(skus: list[str], line_items: dict[str, int]) -> list[FieldError]:
    return [FieldError(("line_items", line_items[sku], "sku"), f"unknown or inactive SKU '{sku}'", "unknown_sku")
            for sku in skus]  # fmt: skip
