"""Shopify's order JSON read and mapped to the capture command (no database)."""

from decimal import Decimal

import orjson
import pytest

from oms.channels.shopify.mapping import map_order
from oms.channels.shopify.resources import ShopifyOrder, read
from oms.channels.shopify.settings import ShopifySettings
from oms.domain.order_status import HoldType
from oms.services.errors import ValidationFailed
from tests.channels.shopify.shop import SHOP, sample

SETTINGS = ShopifySettings(shop_domain=SHOP, pickup_locations={"Paris Rivoli": "ST-PARIS"})


def mapped(document: dict, settings: ShopifySettings = SETTINGS, variants: dict | None = None):
    return map_order(read(ShopifyOrder, orjson.dumps(document)), "web", settings, variants or {})


def problems(document: dict, variants: dict | None = None) -> set[tuple]:
    with pytest.raises(ValidationFailed) as refused:
        mapped(document, variants=variants)
    return {error.path for error in refused.value.errors}


def test_an_order_becomes_the_capture_command_with_shopify_references():
    document = sample("orders_create")
    command = mapped(document).command

    assert command.channel == "web" and command.external_id == str(document["id"])
    assert command.customer.email == document["email"] and command.customer.name == "Camille Martin"
    address = document["shipping_address"]
    assert (command.ship_to.line1, command.ship_to.line2, command.ship_to.postal_code, command.ship_to.country) == (
        address["address1"], address["address2"], address["zip"], address["country_code"])
    assert [(line.sku, line.quantity, line.external_line_id) for line in command.lines] == [
        (item["sku"], item["quantity"], str(item["id"])) for item in document["line_items"]]
    for line, item in zip(command.lines, document["line_items"], strict=True):  # the price paid, per unit
        discount = sum(Decimal(a["amount"]) for a in item["discount_allocations"])
        assert line.unit_price == (Decimal(item["price"]) - discount / item["quantity"]).quantize(Decimal("0.01"))
    assert command.service_level == "express" and command.hold is None and command.currency == "EUR"
    assert document["name"] in command.notes and "VIP, gift-wrap" in command.notes
    assert document["note"] in command.notes


@pytest.mark.parametrize(("status", "held"), [("pending", True), ("authorized", True), ("partially_paid", True),
                                              ("paid", False), ("partially_refunded", False)])  # fmt: skip
def test_a_payment_not_secured_captures_the_order_on_a_payment_review_hold(status, held):
    document = sample("orders_create") | {"financial_status": status}
    assert (mapped(document).command.hold == HoldType.PAYMENT_REVIEW) is held


def test_a_shop_capturing_payment_at_shipment_does_not_hold_authorized_orders():
    settings = SETTINGS.model_copy(update={"payment_hold_statuses": ["pending"]})
    assert mapped(sample("orders_create") | {"financial_status": "authorized"}, settings).command.hold is None


@pytest.mark.parametrize(("code", "title", "level"), [
    ("Colissimo", "Livraison standard", "standard"), ("DHL", "Next-Day Delivery", "express"),
    ("UPS", "Priority Overnight", "express"), ("Pickup in store", "Paris Rivoli", "pickup"),
])  # fmt: skip
def test_the_first_shipping_line_gives_the_service_level(code, title, level):
    document = sample("orders_create")
    document["shipping_lines"][0] |= {"code": code, "title": title}
    assert mapped(document).command.service_level == level


def test_a_shops_own_service_level_rules_come_first():
    settings = ShopifySettings.model_validate({"shop_domain": SHOP, "service_levels": [
        {"contains": "Colissimo", "service_level": "standard"}]})  # fmt: skip
    assert mapped(sample("orders_create"), settings).command.service_level == "standard"


def test_a_pickup_order_goes_to_its_store_keeps_the_billing_address_and_leaves_the_gift_card_out():
    document = sample("orders_create_pickup")
    shirt, gift = document["line_items"]
    result = mapped(document, variants={shirt["variant_id"]: "TSH-BLU-M"})
    command = result.command

    assert command.service_level == "pickup" and command.pickup_node_id == "ST-PARIS"
    assert command.ship_to.line1 == document["billing_address"]["address1"]
    assert [(line.sku, line.external_line_id) for line in command.lines] == [("TSH-BLU-M", str(shirt["id"]))]
    assert command.hold == HoldType.PAYMENT_REVIEW  # paid at the store: pending
    assert gift["name"] in result.skipped[0] and "gift card" in command.notes


def test_a_line_item_without_sku_or_mapped_variant_is_refused_naming_it():
    assert problems(sample("orders_create_pickup")) == {("line_items", 0, "sku")}


def test_a_pickup_at_an_unmapped_location_is_refused():
    document = sample("orders_create_pickup")
    document["shipping_lines"][0]["title"] = "Lyon Part-Dieu"
    document["line_items"][0]["sku"] = "TSH-BLU-M"
    assert problems(document) == {("shipping_lines", 0, "title")}


def test_line_items_of_one_sku_make_one_line_and_units_done_elsewhere_are_not_shipped():
    document = sample("orders_create")
    first, jacket = document["line_items"]
    engraved = first | {"id": 14710183633, "quantity": 1, "current_quantity": 1, "fulfillable_quantity": 1,
                        "price": "24.90", "discount_allocations": [], "properties": [{"name": "Text", "value": "A"}]}
    jacket |= {"fulfillable_quantity": 0, "fulfillment_status": "fulfilled"}
    document["line_items"] = [first, engraved, jacket]
    [line] = mapped(document).command.lines

    assert line.sku == first["sku"] and line.quantity == first["quantity"] + 1
    assert line.external_line_id == f"{first['id']},{engraved['id']}"
    paid = Decimal(first["price"]) * first["quantity"] - Decimal("3.98") + Decimal("24.90")
    assert line.unit_price == (paid / line.quantity).quantize(Decimal("0.01"))


def test_an_order_with_nothing_left_to_ship_is_not_a_command():
    document = sample("orders_create")
    for item in document["line_items"]:
        item |= {"fulfillable_quantity": 0, "fulfillment_status": "fulfilled"}
    assert mapped(document).command is None


@pytest.mark.parametrize(("change", "path"), [
    (lambda d: d["shipping_address"].pop("zip"), ("shipping_address", "zip")),
    (lambda d: d["shipping_address"].update(country_code="XX"), ("shipping_address", "country_code")),
    (lambda d: d.update(shipping_address=None), ("shipping_address",)),
    (lambda d: d.update(email=None, contact_email=None, customer=None), ("email",)),
    (lambda d: d.update(currency="euro"), ("currency",)),
    (lambda d: d["line_items"][1].update(quantity=0, current_quantity=None, fulfillable_quantity=200_000),
     ("line_items", 1, "quantity")),
])  # fmt: skip
def test_a_malformed_order_is_refused_naming_the_shopify_field(change, path):
    document = sample("orders_create")
    change(document)
    assert path in problems(document)


@pytest.mark.parametrize(("change", "path"), [
    (lambda d: d.pop("id"), ("id",)),
    (lambda d: d.update(line_items=[]), ("line_items",)),
    (lambda d: d["line_items"][0].update(quantity=-1), ("line_items", 0, "quantity")),
    (lambda d: d["line_items"][0].update(price="free"), ("line_items", 0, "price")),
])  # fmt: skip
def test_an_order_that_does_not_read_is_refused_naming_the_field(change, path):
    document = sample("orders_create")
    change(document)
    with pytest.raises(ValidationFailed) as refused:
        read(ShopifyOrder, orjson.dumps(document))
    assert path in {error.path for error in refused.value.errors}


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]"])
def test_a_body_that_is_no_json_object_is_refused(body):
    with pytest.raises(ValidationFailed) as refused:
        read(ShopifyOrder, body)
    assert refused.value.errors[0].path == ("body",)


def test_settings_store_only_what_was_set_and_check_what_they_hold():
    chosen = {"shop_domain": SHOP, "locations": {"WH-LYON": 65544149}}
    assert ShopifySettings.model_validate(chosen).model_dump(mode="json") == chosen
    assert ShopifySettings.model_validate(chosen).service_levels  # defaults apply when read
    with pytest.raises(ValueError):
        ShopifySettings.model_validate(chosen | {"locations": {"WH-LYON": -1}})
    with pytest.raises(ValueError):
        ShopifySettings.model_validate(chosen | {"payment_hold_statuses": ["unpaid"]})
