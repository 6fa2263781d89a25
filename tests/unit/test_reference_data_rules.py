"""Rules of the reference-data commands that need no database: barcodes, places and times, cursors."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from oms.db.tables import inbound_supply, inventory
from oms.domain.gtin import check_digit, is_valid_gtin
from oms.services.catalog import ProductUpsert
from oms.services.channel_protections import ChannelProtectionSet
from oms.services.errors import ValidationFailed
from oms.services.network import NodeUpsert
from oms.services.pagination import decode_cursor, encode_cursor

KEY = [inventory.c.node_id, inventory.c.sku]
ID = [inbound_supply.c.id]


@pytest.mark.parametrize("code", ["4006381333931", "036000291452", "96385074", "10614141000415"])
def test_real_gtins_of_every_length_pass_their_check_digit(code):
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code",
    [
        "4006381333932",  # last digit off by one
        "4006381339331",  # two digits swapped
        "400638133393",  # truncated to 12 digits, check no longer matches
        "1234567890",  # 10 digits: no GTIN has that length
        "40063813339３1",  # a full-width digit is not an ASCII digit
        "",
    ],
)
def test_mistyped_or_malformed_gtins_fail(code):
    assert not is_valid_gtin(code)


def test_the_check_digit_weights_three_and_one_from_the_right():
    # from the right: 3·3 + 9 + 3·3 + 3 + 3·3 + 1 + 3·8 + 3 + 3·6 + 0 + 3·0 + 4 = 89, and 89 + 1 ends in 0
    assert check_digit("400638133393") == 1


def product(**change) -> dict:
    return {"sku": "TSH-1", "name": "Tee", "unit_price": "24.90", "currency": "EUR"} | change


def errors_of(model, data: dict) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [".".join(map(str, e["loc"])) for e in caught.value.errors()]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sku": "TSH 1"}, "sku"),
        ({"sku": "X" * 65}, "sku"),
        ({"unit_price": "1.999"}, "unit_price"),
        ({"unit_price": "-0.01"}, "unit_price"),
        ({"currency": "Eur"}, "currency"),
        ({"currency": "EURO"}, "currency"),
        ({"barcode": "4006381333932"}, "barcode"),
        ({"weight_kg": "-1"}, "weight_kg"),
    ],
)
def test_product_rules(change, field):
    assert errors_of(ProductUpsert, product(**change)) == [field]


def test_a_product_takes_its_defaults():
    p = ProductUpsert.model_validate(product())
    assert (p.barcode, p.description, p.weight_kg, p.active) == (None, "", Decimal(0), True)


def node(**change) -> dict:
    return {
        "id": "WH-1", "name": "Warehouse", "type": "warehouse", "line1": "1 road", "postal_code": "69007",
        "city": "Lyon", "country": "FR", "lat": 45.7, "lon": 4.8, "timezone": "Europe/Paris",
    } | change  # fmt: skip


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Argentina/Buenos_Aires", "UTC"])
def test_iana_time_zones_are_accepted(zone):
    assert NodeUpsert.model_validate(node(timezone=zone)).timezone == zone


@pytest.mark.parametrize("zone", ["Europe/Lyon", "CET+1", "europe/paris", "localtime", "../etc/passwd", ""])
def test_anything_else_is_not_a_time_zone(zone):
    assert errors_of(NodeUpsert, node(timezone=zone)) == ["timezone"]


@pytest.mark.parametrize("cutoff", ["24:00", "9:00", "14:00:00", "2pm"])
def test_a_cutoff_is_hh_mm(cutoff):
    assert errors_of(NodeUpsert, node(cutoff_time=cutoff)) == ["cutoff_time"]


def test_coordinates_are_kept_to_six_decimals_and_within_the_globe():
    assert NodeUpsert.model_validate(node(lat="45.12345678")).lat == Decimal("45.123457")
    assert errors_of(NodeUpsert, node(lat=-90.01, lon=180.01)) == ["lat", "lon"]


def test_a_protection_holds_back_a_quantity_or_a_share_never_both():
    assert ChannelProtectionSet(channel="web", quantity=0).share is None
    assert errors_of(ChannelProtectionSet, {"channel": "web"}) == [""]
    assert errors_of(ChannelProtectionSet, {"channel": "web", "quantity": 1, "share": 0.5}) == [""]


def test_a_cursor_round_trips_the_key_of_the_last_row():
    assert decode_cursor(encode_cursor(["WH-LYON", "TSH-BLU-L"]), KEY) == ["WH-LYON", "TSH-BLU-L"]
    assert decode_cursor(encode_cursor([1042]), ID) == [1042]


@pytest.mark.parametrize(
    ("cursor", "key"),
    [
        ("not base64 !", KEY),
        (encode_cursor(["WH-LYON"]), KEY),  # too short for a two-column key
        (encode_cursor(["WH-LYON", 7]), KEY),  # wrong type for the sku column
        (encode_cursor([True]), ID),  # a boolean is no id, though Python counts it as an int
        ("e30", ID),  # base64 of {}: JSON, but not a key
    ],
)
def test_a_forged_cursor_is_a_validation_error_on_cursor(cursor, key):
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(cursor, key)
    assert [e.path for e in caught.value.errors] == [("cursor",)]
