"""A Swiss purchase order in German (as Abacus or Bexio print it): the supplier's address in the window at
the right with no label, "Lieferadresse" at the left, a long date ("5. November 2026"), "Mat.-Nr. |
Bezeichnung | Menge | ME | Preis | Betrag" with "Stk", Swiss numbers ("1'234.50"), "MWST 8.1%" and
"Total CHF"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="2026-1183",
    date=dt.date(2026, 11, 5),
    buyer="Keller Haustechnik AG",
    ship_to={"name": "Keller Haustechnik AG", "line1": "Baustelle Seefeld, Seefeldstrasse 128",
             "postal_code": "8008", "city": "Zürich", "country": "CH"},
    currency="CHF",
    language="de",
    items=items([
        ("40.120.16", "Mehrschichtverbundrohr 16 x 2 mm, Rolle 100 m", "6", "189.00", "Rolle"),
        ("40.310.16", "Pressfitting Winkel 90° 16 mm", "120", "4.85", "Stk"),
        ("40.330.16", "Pressfitting T-Stück 16 mm", "80", "6.20", "Stk"),
        ("52.004.01", "Kugelhahn 1/2\", vernickelt", "24", "14.70", "Stk"),
        ("61.100.50", "Rohrisolation 18 x 9 mm, 2 m", "150", "2.15", "Stk"),
    ]),
    tax_rate=Decimal("8.1"),
)  # fmt: skip
COLUMNS = [Column(50), Column(110), Column(385, True), Column(395), Column(475, True), Column(545, True)]


def sample():
    return styled("ch-abacus", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(50, 50, order.buyer, 14, bold=True)
    sheet.text(50, 64, "Hardturmstrasse 201 · 8005 Zürich · CHE-123.456.789 MWST", 7.5)
    sheet.block(330, 125, ["Sanitär Rossi SA", "Via Nassa 19", "6900 Lugano"], 12, 10)
    to = order.ship_to
    sheet.block(
        50, 125, ["Lieferadresse", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"], bold=True
    )
    sheet.text(50, 210, f"Bestellung Nr. {order.number}", 13, bold=True)
    sheet.text(545, 210, "Zürich, 5. November 2026", 9, right=True)
    sheet.row(COLUMNS, ["Mat.-Nr.", "Bezeichnung", "Menge", "ME", "Preis", "Betrag"], 245, 8.5, True)
    sheet.rule(50, 545, 249)
    top = 249
    for item in order.items:
        top += 15
        cells = [item.code, item.description, str(item.quantity), item.unit, amount(item.price, "ch"),
                 amount(item.total, "ch")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    sheet.rule(50, 545, top + 8)
    rows = [("Total netto", order.subtotal), ("MWST 8.1%", order.tax), ("Total CHF", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 26 + 14 * i, label, 9, bold=i == 2)
        sheet.text(545, top + 26 + 14 * i, amount(value, "ch"), 9, bold=i == 2, right=True)
    sheet.text(50, 790, "Zahlbar innert 30 Tagen netto. Seite 1 von 1", 7.5)
    return sheet.pdf()
