"""Habits of ERP-printed purchase orders the extractor reads: "Our ref" and "Your ref" columns by who
wrote the document, codes of capitals joined by dashes, a row of labels over their values, a "place, date"
line, a title carrying the number and the date, a number printed under the title, and a domestic address
without its country."""

import datetime as dt
from decimal import Decimal

from oms.channels.documents.extract import extract_document
from tests.channels.documents.pdfs import Column, Text, block, pdf, table

COLUMNS = [Column(40), Column(110), Column(180), Column(400, right=True), Column(470, right=True),
           Column(550, right=True)]  # fmt: skip


def _order(title: list[Text], header: list[str], rows: list[list[str]], ship_to: list[str]) -> bytes:
    page = [
        Text(40, 40, "Thornbury Catering Ltd", 14),
        *block(40, 56, ["Brunel House, Temple Gate", "Bristol BS1 6PL"]),
        *title,
        Text(40, 130, "Deliver To:"),
        *block(40, 142, ship_to),
        *table(COLUMNS, [header, *rows], 230),
        Text(400, 300, "TOTAL"),
        Text(550, 300, "100.00", right=True),
    ]
    return pdf([page])


def _titled(number: str = "PO-4417") -> list[Text]:
    return [Text(555, 40, "PURCHASE ORDER", 14, right=True), Text(340, 70, f"Order No. {number}"),
            Text(340, 82, "Order Date 05/11/2026")]  # fmt: skip


SHIP_TO = ["Thornbury Catering - Depot", "14 Avonmouth Way", "Bristol", "BS11 9HX", "United Kingdom"]


def test_on_a_purchase_order_your_ref_is_the_sellers_code_and_our_ref_the_customers_part():
    header = ["Our Ref", "Your Ref", "Description", "Qty", "Price/Unit", "Net"]
    rows = [["TCS-1101", "GN-1/1-65", "Gastronorm pan", "24", "11.80", "283.20"]]
    line = extract_document(_order(_titled(), header, rows, SHIP_TO)).lines[0]
    assert (line.code, line.customer_part_number) == ("GN-1/1-65", "TCS-1101")


def test_a_code_of_capitals_joined_by_dashes_is_an_item_number_above_its_description():
    header = ["Line", "", "Item/Description", "Qty", "Unit Price", "Ext. Price"]
    rows = [["1", "", "SMD-GLV-NTM", "60", "18.90", "1,134.00"], ["", "", "Nitrile gloves", "", "", ""]]
    line = extract_document(_order(_titled(), header, rows, SHIP_TO)).lines[0]
    assert (line.code, line.description, line.quantity) == ("SMD-GLV-NTM", "Nitrile gloves", 60)


def test_in_a_row_of_labels_over_values_each_label_takes_the_value_under_it():
    title = [Text(555, 40, "COMMANDE FOURNISSEUR", 14, right=True),
             *table([Column(330), Column(410), Column(490)],
                    [["N° commande", "Date", "Code fournisseur"], ["CF260318", "14/10/2026", "FONT01"]], 80)]  # fmt: skip
    rows = [["PER-18V-02", "", "Perceuse 18 V", "8", "129,00", "1 032,00"]]
    header = ["Code article", "", "Désignation", "Qté", "P.U. HT", "Montant HT"]
    document = extract_document(
        _order(title, header, rows, ["Moreau SA", "8 chemin du Canal", "31100 Toulouse"])
    )
    assert (document.document_number, document.document_date) == ("CF260318", dt.date(2026, 10, 14))


def test_a_letters_place_and_date_line_dates_the_order_and_francs_say_a_swiss_address():
    title = [
        Text(40, 100, "Bestellung Nr. 2026-1183", 13),
        Text(555, 100, "Zürich, 5. November 2026", right=True),
    ]
    header = ["Mat.-Nr.", "", "Bezeichnung", "Menge", "Preis", "Betrag"]
    rows = [["40.310.16", "", "Pressfitting Winkel", "120", "4.85", "582.00"]]
    ship_to = ["Keller Haustechnik AG", "Seefeldstrasse 128", "8008 Zürich"]
    document = extract_document(_order([*title, Text(400, 320, "Total CHF")], header, rows, ship_to))
    assert (document.document_number, document.document_date) == ("2026-1183", dt.date(2026, 11, 5))
    assert (document.currency, document.ship_to.country) == ("CHF", "CH")


def test_a_title_gives_the_number_and_date_printed_with_it():
    title = [Text(40, 100, "ORDINE D'ACQUISTO N. 2026/118 del 05/11/2026", 12)]
    header = ["Articolo", "", "Descrizione", "Quantità", "Prezzo", "Importo"]
    rows = [["PAN-MEL-18", "", "Pannello melaminico", "40", "38,50", "1.540,00"]]
    ship_to = ["Conti Arredamenti S.p.A.", "Via dell'Artigianato 7", "20851 Lissone"]
    document = extract_document(_order(title, header, rows, ship_to))
    assert (document.document_type, document.document_number) == ("purchase_order", "2026/118")
    assert document.document_date == dt.date(2026, 11, 5)
    assert document.lines[0].unit_price == Decimal("38.50")


def test_a_number_printed_alone_under_the_title_is_the_documents_number():
    title = [Text(555, 40, "Purchase Order", 20, right=True), Text(555, 62, "#PO10482", 11, right=True)]
    header = ["Item", "", "Description", "Qty", "Rate", "Amount"]
    rows = [["MLT-PIL-25", "", "Pilsner malt, 25 kg", "40", "38.75", "1,550.00"]]
    document = extract_document(_order(title, header, rows, SHIP_TO))
    assert document.document_number == "PO10482"


def test_a_letterheads_address_on_one_line_is_read_as_street_and_town():
    page = [
        Text(40, 40, "Riverside Outfitters Inc.", 14),
        Text(40, 56, "1200 Harbor Blvd, Suite 4, Portland, OR 97209"),
        *_titled(),
        Text(300, 130, "Deliver to:"),
        *block(300, 142, ["Riverside Outfitters - DC 2", "4410 NW Front Ave", "Portland, OR 97210"]),
        *table(
            COLUMNS,
            [
                ["Line", "Part No.", "Item Description", "Qty", "Unit Cost", "Ext. Cost"],
                ["1", "TRL-RUN-42", "Trail running shoe", "12", "$64.50", "$774.00"],
            ],
            230,
        ),
    ]
    buyer = extract_document(pdf([page])).buyer
    assert (buyer.name, buyer.line1, buyer.postal_code, buyer.city, buyer.country) == (
        "Riverside Outfitters Inc.",
        "1200 Harbor Blvd, Suite 4",
        "97209",
        "Portland",
        "US",
    )
