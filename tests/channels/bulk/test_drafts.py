"""From rows to order commands, without a database: every error points at the row and column a clerk
fixes in the spreadsheet."""

from decimal import Decimal

from oms.channels.bulk.drafts import CatalogueItem, Facts, draft_order
from oms.channels.bulk.grouping import group_orders, row_ranges
from oms.channels.bulk.reading import read_sheet
from oms.services.order_models import LineIn
from tests.channels.bulk.files import BECKER, BLANK_ORDER, HEADER, LUMIERE, csv_file, order_rows, xlsx_file

FACTS = Facts(
    {sku: CatalogueItem(Decimal(price), "EUR") for sku, price in
     (("TSH-BLU-L", "19.90"), ("TSH-BLU-M", "19.90"), ("JKT-RED-M", "89.00"))},
    frozenset({"ST-PARIS"}),
)  # fmt: skip


def drafts(rows, facts=FACTS, european=False):
    orders, errors = group_orders(read_sheet(csv_file(rows, european=european)).rows)
    assert errors == []
    return [draft_order(order, "b2b", facts) for order in orders]


def errors_of(rows, facts=FACTS):
    return [(e.row, e.column, e.order_ref) for d in drafts(rows, facts) for e in d.errors]


def test_rows_become_the_order_commands_the_api_takes():
    lumiere, becker = drafts(order_rows())

    assert lumiere.errors == [] and lumiere.order.reference == "rows 2-4" and lumiere.line_rows == [2, 3, 4]
    command = lumiere.command
    assert (command.channel, command.external_id) == ("b2b", "PO-2026-0412")
    assert command.customer.email == "achats@lumiere.example.fr" and command.ship_to.line2 == "Bât. B"
    assert [(line.sku, line.quantity, line.unit_price, line.external_line_id) for line in command.lines] == [
        ("TSH-BLU-L", 12, Decimal("19.9"), "10"), ("TSH-BLU-M", 6, Decimal("19.9"), "20"),
        ("JKT-RED-M", 2, Decimal("79.5"), "30"),
    ]  # fmt: skip
    assert becker.command.service_level == "express" and becker.command.ship_to.country == "DE"
    assert becker.command.lines[1].unit_price == Decimal("19.90")  # blank: the catalogue's price


def test_rows_of_an_order_need_not_be_together():
    rows = order_rows()
    lumiere, becker = drafts([rows[0], rows[3], rows[1], rows[4], rows[2]])
    assert lumiere.order.reference == "rows 2, 4, 6" and becker.order.reference == "rows 3, 5"
    assert [line.sku for line in lumiere.command.lines] == ["TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"]


def test_an_order_level_column_that_disagrees_is_an_error_on_that_row_and_column():
    rows = order_rows()
    rows[2][9] = "BE"  # Lumière's third row ships elsewhere
    rows[4][1] = "Sporthaus Becker AG"  # Becker's second row, blank before, names another customer

    lumiere, becker = drafts(rows)
    assert lumiere.command is None and becker.command is None
    assert [(e.row, e.column, e.code) for e in lumiere.errors] == [(4, "ship_country", "disagrees")]
    assert "'BE' differs from 'FR' given on row 2" in lumiere.errors[0].message
    assert [(e.row, e.column) for e in becker.errors] == [(6, "customer_name")]


def test_validation_errors_point_at_the_row_and_column_of_the_value():
    rows = order_rows()
    rows[1][15] = 0  # quantity of Lumière's second line
    rows[2][16] = "12.345"  # three decimals
    rows[3][2] = "einkauf-at-becker"  # Becker's e-mail, given on its first row (row 5)
    rows[4][9] = ""
    rows[3][9] = "XX"  # not a country

    assert errors_of(rows) == [
        (3, "quantity", "PO-2026-0412"), (4, "unit_price", "PO-2026-0412"),
        (5, "customer_email", "PO-2026-0413"), (5, "ship_country", "PO-2026-0413"),
    ]  # fmt: skip
    becker = drafts(rows)[1]
    assert "'XX' is not an ISO 3166-1" in becker.errors[1].message  # without pydantic's "Value error, "


def test_a_missing_order_level_value_is_reported_on_the_orders_first_row():
    rows = [[BECKER[0], *BLANK_ORDER[1:], "1", "TSH-BLU-L", 1, 19.9], [*BECKER, "2", "TSH-BLU-M", 1, 19.9]]
    # The order's values come from its second row; the missing ship_to name would be the customer's.
    assert errors_of(rows) == []
    rows[1][1] = rows[1][4] = ""
    assert errors_of(rows) == [(2, "customer_name", "PO-2026-0413")]  # one error for both names


def test_a_repeated_sku_or_line_ref_is_an_error_of_the_repeating_row():
    rows = order_rows()[:3]
    rows[2][14] = "TSH-BLU-L"  # row 4 repeats row 2's SKU
    rows[1][13] = "10"  # row 3 repeats row 2's line reference
    [draft] = drafts(rows)
    assert [(e.row, e.column, e.code) for e in draft.errors] == [
        (3, "line_ref", "duplicate"), (4, "sku", "duplicate")
    ]  # fmt: skip
    assert "'TSH-BLU-L' is already on row 2 of this order" in draft.errors[1].message


def test_unknown_skus_and_prices_the_catalogue_cannot_give():
    rows = order_rows()
    rows[0][14] = "TSH-GRN-XL"
    rows[0][16] = None  # and no price: one error, the SKU's
    rows[3][11] = "chf"  # Becker's order in francs (as a person types it); row 6's blank price is only
    rows[4][11] = ""  # known in euros

    assert [(e.row, e.column, e.code) for d in drafts(rows) for e in d.errors] == [
        (2, "sku", "unknown_sku"), (6, "unit_price", "missing"),
    ]  # fmt: skip


def test_a_pickup_order_needs_an_active_pickup_store():
    rows = order_rows()[3:]
    rows[0][10] = "pickup"
    assert [(e.row, e.column, e.message) for d in drafts(rows) for e in d.errors] == [
        (2, "pickup_node_id", "pickup orders need the collecting store")
    ]
    header = [*HEADER, "Pickup store"]
    orders, _ = group_orders(read_sheet(csv_file([r + ["WH-LYON"] for r in rows], header=header)).rows)
    assert [e.message for e in draft_order(orders[0], "b2b", FACTS).errors] == [
        "'WH-LYON' is no active pickup store"
    ]
    orders, _ = group_orders(read_sheet(csv_file([r + ["ST-PARIS"] for r in rows], header=header)).rows)
    assert draft_order(orders[0], "b2b", FACTS).command.pickup_node_id == "ST-PARIS"


def test_a_row_without_order_ref_is_an_error_of_its_own():
    rows = [*order_rows(), ["", *LUMIERE[1:], "40", "TSH-BLU-L", 1, 1.0]]
    orders, errors = group_orders(read_sheet(csv_file(rows)).rows)
    assert len(orders) == 2 and [(e.row, e.column, e.code) for e in errors] == [(7, "order_ref", "missing")]


def test_row_ranges_stay_short():
    assert row_ranges([7]) == "row 7"
    assert row_ranges([2, 3, 4, 9, 11, 12]) == "rows 2-4, 9, 11-12"
    assert row_ranges(list(range(2, 200, 2))) == "rows 2-198 (99 rows)"


def test_a_postal_code_a_spreadsheet_took_for_a_number_gets_its_leading_zero_back():
    rows = order_rows()[3:4]
    rows[0][7:10] = [1067, "Dresden", "DE"]  # typed 01067, kept by the sheet as the number 1067
    content = xlsx_file(rows)
    orders, _ = group_orders(read_sheet(content).rows)
    assert draft_order(orders[0], "b2b", FACTS).command.ship_to.postal_code == "01067"
    rows[0][7:10] = ["1067", "Wien", "AT"]  # four digits is a whole Austrian postal code
    orders, _ = group_orders(read_sheet(xlsx_file(rows)).rows)
    assert draft_order(orders[0], "b2b", FACTS).command.ship_to.postal_code == "1067"


def test_a_number_of_a_semicolon_file_grouped_by_dots_alone_is_an_error_not_a_guess():
    """European Excel writes 1000 formatted with a thousands separator as "1.000", which a decimal point
    would read as 1; a file of decimal commas may also hold plain decimal points ("19.90")."""
    rows = order_rows()
    rows[0][15] = "1.000"  # Lumière's first quantity
    rows[3][16] = "1.250"  # Becker's jacket

    lumiere, becker = drafts(rows, european=True)
    assert lumiere.command is None and becker.command is None
    assert [(e.row, e.column, e.code) for e in lumiere.errors + becker.errors] == [
        (2, "quantity", "ambiguous_number"), (5, "unit_price", "ambiguous_number")
    ]  # fmt: skip
    assert "1000" in lumiere.errors[0].message and "1,250" in becker.errors[0].message
    rows[0][15], rows[3][16] = "1000", "1.250,00"
    assert [d.command.lines[0] for d in drafts(rows, european=True)] == [
        LineIn(sku="TSH-BLU-L", quantity=1000, unit_price=Decimal("19.90"), external_line_id="10"),
        LineIn(sku="JKT-RED-M", quantity=4, unit_price=Decimal(1250), external_line_id="1"),
    ]
