"""A German purchase order as Sage 100 or Microtech print it: the supplier in the window with no label,
the buyer's details at the right ("Beleg-Nr.", "Belegdatum", "Lieferdatum"), "Art.-Nr. | Bezeichnung |
Menge | Einh. | Preis € | Rabatt % | Gesamt €" with an empty discount, quantities "12,00", "Summe netto",
"MwSt. 19 %" and "Endbetrag"; the delivery address under "Lieferung an:"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="BE-10442",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 19),
    buyer="Weber Metallbau GmbH",
    ship_to={"name": "Weber Metallbau GmbH", "line1": "Halle 4, Am Hafen 17", "postal_code": "28197",
             "city": "Bremen", "country": "DE"},
    currency="EUR",
    language="de",
    items=items([
        ("SCH-DIN933-M10", "Sechskantschraube DIN 933 M10x30, 8.8 verzinkt", "500", "0.19", "Stk"),
        ("MUT-DIN934-M10", "Sechskantmutter DIN 934 M10, verzinkt", "500", "0.06", "Stk"),
        ("FLA-S235-40", "Flachstahl S235 40x5 mm, 6 m", "24", "16.80", "Stk"),
        ("SCW-G3SI1-10", "Schweißdraht G3Si1 1,0 mm, Spule 15 kg", "8", "39.90", "Spl"),
    ]),
    tax_rate=Decimal(19),
)  # fmt: skip
COLUMNS = [Column(50), Column(140), Column(385, True), Column(392), Column(450, True), Column(495, True),
           Column(545, True)]  # fmt: skip


def sample():
    return styled("de-sage", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(545, 45, order.buyer, 14, bold=True, right=True)
    sheet.text(50, 120, f"{order.buyer} · Am Hafen 17 · 28197 Bremen", 6.5)
    sheet.block(50, 135, ["Stahlhandel Schmidt KG", "Industriestraße 88", "28237 Bremen"], 12, 10)
    for i, (label, value) in enumerate(
        [
            ("Beleg-Nr.", order.number),
            ("Belegdatum", "05.11.2026"),
            ("Lieferdatum", "19.11.2026"),
            ("Lieferanten-Nr.", "70011"),
        ]
    ):
        sheet.text(370, 125 + 12 * i, label, 8.5)
        sheet.text(545, 125 + 12 * i, value, 8.5, right=True)
    to = order.ship_to
    sheet.block(
        50, 200, ["Lieferung an:", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"], bold=True
    )
    sheet.text(50, 265, "Bestellung", 14, bold=True)
    titles = ["Art.-Nr.", "Bezeichnung", "Menge", "Einh.", "Preis €", "Rabatt %", "Gesamt €"]
    sheet.row(COLUMNS, titles, 290, 8, True)
    sheet.rule(50, 545, 294)
    top = 294
    for item in order.items:
        top += 14
        cells = [item.code, item.description, amount(item.quantity, "eu"), item.unit, amount(item.price, "eu"), "",
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    rows = [("Summe netto", order.subtotal), ("MwSt. 19 %", order.tax), ("Endbetrag", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(380, top + 28 + 14 * i, label, 9, bold=i == 2)
        sheet.text(545, top + 28 + 14 * i, f"{amount(value, 'eu')} €", 9, bold=i == 2, right=True)
    sheet.text(297, 805, "Seite 1/1", 7.5)
    return sheet.pdf()
