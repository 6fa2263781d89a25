"""A marketplace channel's settings (no database): presets are complete, overrides replace them field by
field, and a mapping that could not read an order is refused when saved, field by field."""

import pytest
from pydantic import ValidationError

from oms.channels.marketplace.presets import PRESETS
from oms.channels.marketplace.settings import MarketplaceSettings


def _locations(settings: dict) -> set[tuple]:
    with pytest.raises(ValidationError) as refused:
        MarketplaceSettings.model_validate(settings)
    return {error["loc"] for error in refused.value.errors()}


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_each_preset_alone_is_a_complete_mapping_acknowledged_in_its_own_format(preset):
    settings = MarketplaceSettings.model_validate({"preset": preset})
    assert settings.mapping() == PRESETS[preset] and settings.ack_format() == preset and settings.refuse_unavailable


def test_an_override_replaces_one_field_and_keeps_the_others():
    settings = MarketplaceSettings.model_validate({"preset": "amazon", "fields": {"sku": "ASIN"}})
    assert settings.mapping()["sku"].path == ["ASIN"]
    assert settings.mapping()["line_total"] == PRESETS["amazon"]["line_total"]
    assert MarketplaceSettings.model_validate(settings.model_dump(mode="json")) == settings  # as stored


def test_without_a_preset_every_required_field_is_asked_for():
    assert _locations({"fields": {"order_id": "id"}}) == {
        ("fields", target) for target in ("customer_name", "customer_email", "ship_name", "ship_line1",
                                          "ship_postal_code", "ship_city", "ship_country", "lines", "line_id",
                                          "sku", "quantity", "unit_price")}  # fmt: skip


def test_a_required_field_cannot_be_dropped_and_prices_are_read_one_way():
    assert _locations({"preset": "mirakl", "fields": {"order_id": None}}) == {("fields", "order_id")}
    assert _locations({"preset": "mirakl", "fields": {"line_total": "price"}}) == {("fields", "unit_price")}


def test_constants_must_be_values_the_order_accepts():
    assert _locations({"preset": "amazon", "fields": {
        "service_level": {"path": "ShipServiceLevel", "map": {"NextDay": "overnight"}, "otherwise": "pickup"},
        "currency": {"default": "eur"}, "ship_country": {"default": "FRA"}, "quantity": {"default": "one"},
    }}) == {("fields", "service_level", "map", "NextDay"), ("fields", "service_level", "otherwise"),
            ("fields", "currency", "default"), ("fields", "ship_country", "default"),
            ("fields", "quantity", "default")}  # fmt: skip


def test_rules_are_checked_for_their_field():
    assert _locations({"preset": "amazon", "fields": {
        "lines": {"path": ["OrderItems", "Items"]},
        "ship_city": {"path": "ShippingAddress.City", "convert": "country_alpha3"},
        "quantity": {"path": "QuantityOrdered", "map": {"1": "2"}},
        "customer_email": {"default": "{line_no}@example.invalid"},
        "line_id": {"default": "{order_id!r}-{line_no}"},
    }}) == {("fields", "lines"), ("fields", "ship_city", "convert"), ("fields", "quantity"),
            ("fields", "customer_email", "default"), ("fields", "line_id", "default")}  # fmt: skip


def test_a_rule_needs_somewhere_to_read_and_a_map_for_otherwise():
    assert _locations({"preset": "amazon", "fields": {"ship_city": {}, "currency": {"path": "X", "otherwise": "EUR"},
                                                      "sku": "Items[x]"}}) == {
        ("fields", "ship_city"), ("fields", "currency"), ("fields", "sku", "path", 0)}  # fmt: skip


def test_the_order_id_is_read_from_each_order_never_a_constant():
    """It is the dedupe key: a constant would answer every order after the first as its replay."""
    assert _locations({"preset": "mirakl", "fields": {"order_id": {"path": "order_id", "default": "ORDER"}}}) == {
        ("fields", "order_id")}  # fmt: skip
    assert _locations({"preset": "mirakl", "fields": {"order_id": {"path": "order_id", "map": {"A": "B"},
                                                                   "otherwise": "X"}}}) == {("fields", "order_id")}  # fmt: skip
