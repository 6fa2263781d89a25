"""A Dutch purchase order as AFAS or Twinfield print it: stacked "Leverancier" then "Afleveradres"
blocks, "Inkoopordernummer" and "Besteldatum" with colons at the right, "Nr. | Artikel | Omschrijving |
Aantal | Prijs per eenheid | Totaal excl. btw" with a line number, "Totaal excl. btw", "Btw 21%" and
"Totaal te betalen"; Belgian-style numbers ("1.234,56")."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="IO-26-4471",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 10),
    buyer="Janssens Fietsen BV",
    ship_to={"name": "Janssens Fietsen BV - Winkel Gent", "line1": "Veldstraat 88", "postal_code": "9000",
             "city": "Gent", "country": "BE"},
    currency="EUR",
    language="nl",
    items=items([
        ("BND-28-622", "Buitenband 28 x 1.75 (47-622), reflectie", "30", "18.95"),
        ("BIN-28-FV", "Binnenband 28 inch, Frans ventiel", "60", "4.35"),
        ("KET-8V-116", "Ketting 8 speed, 116 schakels", "20", "14.60"),
        ("LMP-LED-SET", "LED verlichtingsset voor en achter", "25", "22.40"),
        ("SLT-RNG-45", "Ringslot ART 2, sleutel", "15", "31.90"),
    ]),
    tax_rate=Decimal(21),
)  # fmt: skip
COLUMNS = [Column(40), Column(65), Column(145), Column(385, True), Column(470, True), Column(555, True)]


def sample():
    return styled("nl-afas", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.text(40, 64, "Kortrijksesteenweg 1021 · 9051 Gent · BTW BE 0654.321.987", 7.5)
    sheet.text(555, 50, "Bestelling", 16, bold=True, right=True)
    for i, (label, value) in enumerate([("Inkoopordernummer:", order.number), ("Besteldatum:", "05-11-2026"),
                                        ("Gewenste leverdatum:", "10-11-2026")]):  # fmt: skip
        sheet.text(380, 80 + 12 * i, label, 8.5)
        sheet.text(555, 80 + 12 * i, value, 8.5, right=True)
    sheet.block(40, 100, ["Leverancier", "De Vries Tweewielers B.V.", "Stationsweg 40", "3511 LN Utrecht",
                          "Nederland"], bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(40, 170, ["Afleveradres", to["name"], to["line1"], f"{to['postal_code']} {to['city']}", "België"],
                bold=True)  # fmt: skip
    titles = ["Nr.", "Artikel", "Omschrijving", "Aantal", "Prijs per eenheid", "Totaal excl. btw"]
    sheet.row(COLUMNS, titles, 255, 8.5, True)
    sheet.rule(40, 555, 259)
    top = 259
    for number, item in enumerate(order.items, 1):
        top += 15
        cells = [str(number), item.code, item.description, str(item.quantity), amount(item.price, "eu"),
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    rows = [("Totaal excl. btw", order.subtotal), ("Btw 21%", order.tax), ("Totaal te betalen", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 30 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 30 + 14 * i, f"€ {amount(value, 'eu')}", 9, bold=i == 2, right=True)
    return sheet.pdf()
