"""850 to the order-capture command: every field from its segment, products by SKU or GTIN, and each
problem naming the element it came from."""

from decimal import Decimal

from oms.channels.edi.envelope import read_interchange
from oms.channels.edi.order_mapping import Catalogue, gtin_forms, gtin_key, to_order
from oms.channels.edi.purchase_order import PurchaseOrder, read_purchase_orders
from oms.channels.edi.settings import EdiSettings
from tests.channels.bounded import run_within
from tests.channels.edi.samples import NEWLINE, PARTNER_SETTINGS, PIPE_CARET, STAR_TILDE, replace, sample
from tests.factories import PRODUCTS

SETTINGS = EdiSettings.model_validate(PARTNER_SETTINGS)
PARIS = {"name": "ST-PARIS", "line1": "1 rue de test", "postal_code": "75001", "city": "Paris", "country": "FR"}
CATALOGUE = Catalogue(skus=frozenset(p[0] for p in PRODUCTS), gtins={gtin_key(p[3]): p[0] for p in PRODUCTS},
                      stores={"ST-PARIS": PARIS})  # fmt: skip


def orders(raw: bytes) -> list[PurchaseOrder]:
    return read_purchase_orders(read_interchange(raw))[0]


def problems(raw: bytes, settings: EdiSettings = SETTINGS, index: int = 0) -> list[tuple[str, str | None, str]]:
    found = to_order(orders(raw)[index], "b2b", settings, CATALOGUE)
    assert isinstance(found, list), found
    return [(p.segment, p.element, p.message) for p in found]


def test_every_field_of_the_command_comes_from_its_segment():
    cmd = to_order(orders(sample(STAR_TILDE))[0], "b2b", SETTINGS, CATALOGUE)
    assert (cmd.channel, cmd.external_id, cmd.currency, cmd.service_level) == ("b2b", "4500012345", "EUR", "express")
    assert cmd.customer.model_dump() == {"name": "Galeries Lafayette Haussmann", "email": "c.dubois@galeries.example",
                                         "phone": "+33 1 42 82 34 56"}  # fmt: skip
    assert cmd.ship_to.model_dump(include={"line1", "line2", "postal_code", "city", "country"}) == {
        "line1": "12 rue des Entrepreneurs", "line2": "Zone Ouest", "postal_code": "92230", "city": "Gennevilliers",
        "country": "FR"}  # fmt: skip
    assert cmd.ship_to.name.startswith("Galeries Lafayette Entrepot Nord") and "Quai 4" in cmd.ship_to.name  # N2
    assert cmd.promised_delivery_date.isoformat() == "2026-11-27"
    assert [(line.sku, line.quantity, line.unit_price, line.external_line_id) for line in cmd.lines] == [
        ("TSH-BLU-L", 6, Decimal("11.50"), "1"), ("JKT-RED-M", 4, Decimal("48.00"), "2")]  # fmt: skip
    assert cmd.notes == "PO date 2026-11-20; REF DP 038; REF IA V-77120"


def test_gtins_resolve_to_skus_by_barcode_whatever_their_length():
    first, _second = orders(sample(PIPE_CARET))
    cmd = to_order(first, "b2b", SETTINGS, CATALOGUE)
    assert [(line.sku, line.external_line_id) for line in cmd.lines] == [("TSH-BLU-M", "10"), ("JKT-RED-M", "20")]
    assert cmd.service_level == "standard"  # no TD5: the default
    assert gtin_key("012345678905") == gtin_key("0012345678905") == gtin_key("00012345678905") == "12345678905"
    assert gtin_forms("3700000000013") == ["3700000000013", "03700000000013"] and gtin_forms("VP-1") == []


def test_a_location_code_the_settings_map_to_a_store_makes_a_pickup_order_there():
    cmd = to_order(orders(sample(PIPE_CARET))[1], "b2b", SETTINGS, CATALOGUE)
    assert (cmd.service_level, cmd.pickup_node_id) == ("pickup", "ST-PARIS")
    assert cmd.ship_to.name == "Abholung Paris" and cmd.ship_to.postal_code == PARIS["postal_code"]
    gone = Catalogue(CATALOGUE.skus, CATALOGUE.gtins, stores={})  # the store is no pickup store any more
    refused = to_order(orders(sample(PIPE_CARET))[1], "b2b", SETTINGS, gone)
    assert next((p.element, p.message) for p in refused) == ("N104", ("location PAR01 is store ST-PARIS, no active"
                                                                    " pickup store"))  # fmt: skip


def test_a_line_naming_no_product_we_sell_refuses_the_order_naming_its_ids():
    assert problems(sample(NEWLINE)) == [("PO1", "PO107", ("no product we sell has any of its ids"
                                                          " (VP HAT-GRN-S, UP 012345678905)"))]  # fmt: skip


def test_address_problems_name_the_n4_element():
    assert problems(replace(STAR_TILDE, "92230*FR~", "92230*XX~")) == [
        ("N4", "N404", "N404 'XX': Value error, 'XX' is not an ISO 3166-1 alpha-2 country code")]
    no_country = replace(STAR_TILDE, "92230*FR~", "92230~")
    assert problems(no_country)[0][:2] == ("N4", "N404")
    with_default = to_order(orders(no_country)[0], "b2b", SETTINGS.model_copy(update={"default_country": "FR"}),
                            CATALOGUE)  # fmt: skip
    assert with_default.ship_to.country == "FR"
    no_n4 = replace(STAR_TILDE, "N4*Gennevilliers**92230*FR~\r\n", "")
    assert problems(no_n4) == [("N1", None, "the ST party has no city and postal code (N4)")]


def test_without_an_email_the_partners_default_is_the_customers():
    no_email = replace(STAR_TILDE, "*EM*c.dubois@galeries.example", "")
    assert "no e-mail for the customer" in problems(no_email)[0][2]
    cmd = to_order(orders(no_email)[0], "b2b", SETTINGS.model_copy(update={"default_email": "edi@galeries.example"}),
                   CATALOGUE)  # fmt: skip
    assert (cmd.customer.email, cmd.customer.phone) == ("edi@galeries.example", "+33 1 42 82 34 56")


def test_line_problems_name_the_po1_element():
    assert problems(replace(STAR_TILDE, "PO1*1*6*EA", "PO1*1*6*CA")) == [
        ("PO1", "PO103", "PO103 unit CA is not taken: EA")]
    assert problems(replace(STAR_TILDE, "PO1*1*6*EA", "PO1*1*2.5*EA").replace(b"CTT*2*10", b"CTT*2*6.5")) == [
        ("PO1", "PO102", "PO102 is 2.5: a whole number of units above 0")]
    assert problems(replace(STAR_TILDE, "*11.50*", "*11,50*")) == [
        ("PO1", "PO104", "PO104 is 11,50: a number is expected")]
    twice = replace(STAR_TILDE, "VP*JKT-RED-M", "VP*TSH-BLU-L")
    assert problems(twice) == [("PO1", "PO107", ("orders TSH-BLU-L again (as the PO1 at segment 16): one line per"
                                                " product"))]  # fmt: skip


def test_header_problems_name_their_element():
    assert problems(replace(STAR_TILDE, "BEG*00*SA*4500012345**20261120", "BEG*01*SA*4500012345**20261131")) == [
        ("BEG", "BEG01", ("BEG01 is 01: only new purchase orders (00 original, 06 confirmation) are taken;"
                         " changes come as 860")),
        ("BEG", "BEG05", "BEG05 is 20261131: a date CCYYMMDD is expected")]  # fmt: skip
    assert problems(replace(STAR_TILDE, "CUR*BY*EUR", "CUR*BY*euro")) == [
        ("CUR", "CUR02", "CUR02 is euro: an ISO 4217 code is expected")]


def test_a_number_longer_than_x12_allows_is_refused_without_spelling_it_out():
    """PO102 1E9999999 is ten characters, yet as an integer ten million digits: refused, and quickly."""
    huge = replace(STAR_TILDE, "PO1*1*6*EA", "PO1*1*1E9999999*EA").replace(b"CTT*2*10", b"CTT*2")
    found = run_within(10, lambda: problems(huge))
    assert found == [("PO1", "PO102", "PO102 is 1E9999999: a number of at most 15 digits is expected")]
    assert problems(replace(STAR_TILDE, "*11.50*", "*1E+20*")) == [
        ("PO1", "PO104", "PO104 is 1E+20: a number of at most 15 digits is expected")]
