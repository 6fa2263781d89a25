"""An Exact Online purchase order: "Inkooporder" with a strip of labels over values ("Ordernummer |
Orderdatum | Leverdatum | Uw referentie"), "Leverancier" beside "Afleveradres", "Artikelcode |
Omschrijving | Aantal | Eenheid | Prijs | Bedrag" with "12,00" and "stuk", "Totaal excl. BTW", "BTW 21%" and
"Totaal incl. BTW" with "€ 1.234,56"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="26000314",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 13),
    buyer="Bakker Tuincentrum B.V.",
    ship_to={"name": "Bakker Tuincentrum B.V.", "line1": "Industrieweg 27", "postal_code": "3542 AD",
             "city": "Utrecht", "country": "NL"},
    currency="EUR",
    language="nl",
    items=items([
        ("POT-TERRA-30", "Terracotta pot 30 cm", "48", "7.95", "stuk"),
        ("AAR-POT-40L", "Potgrond universeel 40 liter", "120", "3.60", "zak"),
        ("GIET-10L-GR", "Gieter kunststof 10 liter, groen", "24", "5.45", "stuk"),
        ("SNOEI-200", "Snoeischaar bypass 200 mm", "18", "14.90", "stuk"),
    ]),
    tax_rate=Decimal(21),
)  # fmt: skip
COLUMNS = [Column(40), Column(125), Column(385, True), Column(395), Column(475, True), Column(555, True)]


def sample():
    return styled("nl-exact", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.text(40, 64, "Industrieweg 27 · 3542 AD Utrecht · KvK 30123456 · BTW NL812345678B01", 7.5)
    sheet.text(555, 50, "Inkooporder", 18, bold=True, right=True)
    sheet.block(
        40, 110, ["Leverancier", "De Vries Kwekerijen", "Kassenweg 8", "2671 MN Naaldwijk"], bold=True
    )
    to = order.ship_to
    sheet.block(320, 110, ["Afleveradres", to["name"], to["line1"], f"{to['postal_code']} {to['city']}",
                           "Nederland"], bold=True)  # fmt: skip
    strip = [("Ordernummer", order.number), ("Orderdatum", "05-11-2026"), ("Leverdatum", "13-11-2026"),
             ("Uw referentie", "OFF-2291")]  # fmt: skip
    for i, (label, value) in enumerate(strip):
        sheet.text(40 + 130 * i, 195, label, 8, bold=True)
        sheet.text(40 + 130 * i, 208, value, 9)
    sheet.rule(40, 555, 225)
    sheet.row(
        COLUMNS, ["Artikelcode", "Omschrijving", "Aantal", "Eenheid", "Prijs", "Bedrag"], 245, 8.5, True
    )
    top = 245
    for item in order.items:
        top += 15
        cells = [item.code, item.description, amount(item.quantity, "eu"), item.unit, amount(item.price, "eu"),
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    sheet.rule(40, 555, top + 8)
    rows = [("Totaal excl. BTW", order.subtotal), ("BTW 21%", order.tax), ("Totaal incl. BTW", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 26 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 26 + 14 * i, f"€ {amount(value, 'eu')}", 9, bold=i == 2, right=True)
    sheet.text(40, 805, "Op al onze inkopen zijn onze algemene inkoopvoorwaarden van toepassing.", 7)
    return sheet.pdf()
