"""Reading marketplace order JSON through a mapping (no database): the presets' quirks, and problems named
by the marketplace's own paths."""

from decimal import Decimal

import pytest

from oms.channels.marketplace.mapping import marketplace_order_id, parse, to_command
from oms.channels.marketplace.paths import MISSING, read, steps
from oms.channels.marketplace.settings import MarketplaceSettings
from oms.services.errors import ValidationFailed
from tests.channels.bounded import run_within
from tests.channels.marketplace.builders import order


def _mapping(preset: str | None = None, **fields) -> dict:
    return MarketplaceSettings.model_validate({"preset": preset, "fields": fields}).mapping()


def _problems(document: dict, mapping: dict) -> dict[tuple, str]:
    with pytest.raises(ValidationFailed) as refused:
        to_command(document, mapping, "marketplace")
    return {error.path: error.code for error in refused.value.errors}


def test_paths_step_through_objects_and_arrays():
    document = {"a": {"b": [{"c": 1}, {"c": None}]}}
    assert steps("a.b[1].c") == ("a", "b", 1, "c")
    assert read(document, steps("a.b[0].c")) == 1 and read(document, steps("a.b[1].c")) is None
    assert read(document, steps("a.b[2].c")) is MISSING and read(document, steps("a.c")) is MISSING


def test_amazon_item_prices_are_line_totals_and_its_service_levels_map():
    document = order("amazon_order")
    document["OrderItems"][0] |= {"QuantityOrdered": 3, "ItemPrice": {"CurrencyCode": "EUR", "Amount": "10.00"}}

    cmd = to_command(document, _mapping("amazon"), "marketplace")

    assert [(line.external_line_id, line.quantity, line.unit_price) for line in cmd.lines] == [
        ("06291154528731", 3, Decimal("3.33")), ("06291154528732", 1, Decimal("89.90"))]  # fmt: skip
    assert (cmd.external_id, cmd.service_level, cmd.currency) == ("302-4817263-1192351", "express", "EUR")
    assert cmd.ship_to.country == "DE" and cmd.ship_to.line2 == "3. OG" and cmd.customer.name == "Jonas Weber"


def test_an_amazon_buyer_without_email_gets_a_placeholder_of_the_order_and_unknown_levels_are_standard():
    document = order("amazon_order")
    del document["BuyerInfo"]["BuyerEmail"]
    document["ShipServiceLevel"] = "Std DE Dom_1"

    cmd = to_command(document, _mapping("amazon"), "marketplace")

    assert cmd.customer.email == "302-4817263-1192351@buyer.amazon.invalid" and cmd.service_level == "standard"


def test_mirakl_countries_are_alpha3_names_come_split_and_prices_are_per_unit():
    cmd = to_command(order("mirakl_order"), _mapping("mirakl"), "marketplace")

    assert cmd.ship_to.country == "FR" and cmd.ship_to.name == "Léa Fontaine" and cmd.customer.name == "Léa Fontaine"
    assert [(line.sku, line.quantity, line.unit_price) for line in cmd.lines] == [
        ("TSH-BLU-M", 2, Decimal("19.9")), ("JKT-RED-M", 1, Decimal("89.0")), ("TSH-GRN-S", 1, Decimal("19.9"))]
    assert cmd.customer.email == "8817455903-a@customer.mirakl.invalid" and cmd.service_level == "express"


def test_a_preset_field_overridden_reads_elsewhere_and_a_dropped_one_is_not_read():
    mapping = _mapping("mirakl", customer_email="customer_notification_email", ship_phone=None)

    cmd = to_command(order("mirakl_order"), mapping, "marketplace")

    assert cmd.customer.email == "rkvpu2eihk4.ftl308b4c@notification.mirakl.net" and cmd.ship_to.phone is None


def test_the_order_id_is_read_first_as_the_dedupe_key():
    assert marketplace_order_id(order("mirakl_order"), _mapping("mirakl")) == "8817455903-A"
    with pytest.raises(ValidationFailed) as refused:
        marketplace_order_id({"order_lines": []}, _mapping("mirakl"))
    assert refused.value.errors[0].path == ("order_id",)


def test_problems_name_the_marketplaces_paths_whether_missing_unreadable_or_refused_by_the_command():
    document = order("mirakl_order")
    document["customer"]["shipping_address"]["street_1"] = {"line": "8 quai"}
    document["order_lines"][2]["quantity"] = 0
    document["currency_iso_code"] = "euro"

    assert _problems(document, _mapping("mirakl")) == {
        ("customer", "shipping_address", "street_1"): "type", ("order_lines", 2, "quantity"): "greater_than",
        ("currency_iso_code",): "string_pattern_mismatch"}  # fmt: skip
    document = order("mirakl_order")
    document["order_lines"][1]["offer_sku"] = "TSH-BLU-M"  # the same SKU on two lines
    assert _problems(document, _mapping("mirakl")) == {("order_lines",): "value_error"}


@pytest.mark.parametrize(
    ("quantity", "amount"),
    [("NaN", "39.80"), ("sNaN", "39.80"), (2, "1e27"), ("1e-9", "1e20"), ("1e9999999", "39.80")],
)
def test_numbers_that_are_no_amounts_are_refused_by_their_path_and_quickly(quantity, amount):
    """NaN, a total beyond any currency's cents, or ten million digits written in ten characters."""
    document = order("amazon_order")
    document["OrderItems"][0] |= {"QuantityOrdered": quantity, "ItemPrice": {"CurrencyCode": "EUR", "Amount": amount}}

    found = run_within(10, lambda: _problems(document, _mapping("amazon")))

    assert set(found) <= {("OrderItems", 0, "QuantityOrdered"), ("OrderItems", 0, "ItemPrice", "Amount")} and found


def test_lines_that_are_not_an_array_of_objects_are_refused_where_they_are():
    document = order("amazon_order")
    assert _problems(document | {"OrderItems": {"0": {}}}, _mapping("amazon")) == {("OrderItems",): "type"}
    assert _problems(document | {"OrderItems": ["x"]}, _mapping("amazon")) == {("OrderItems", 0): "type"}


def test_a_body_must_be_one_json_object():
    for body, code in ((b"{not json", "json_invalid"), (b"[]", "type"), (b"\xff\xfe", "json_invalid")):
        with pytest.raises(ValidationFailed) as refused:
            parse(body)
        assert refused.value.errors[0].code == code
