"""An Austrian purchase order (as BMD or weclapp print it): "Lieferant" and "Lieferadresse" side by side,
postal codes with the country prefix ("A-1100 Wien"), "Bestellung Nr." in the title, "Bestelldatum:",
"Pos | Artikel-Nr. | Artikelbezeichnung | Menge | Einheit | Einzelpreis € | Gesamtpreis €", "USt 20%" and
"Gesamtsumme EUR"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="2026-0042",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 24),
    buyer="Huber Gastro GmbH",
    ship_to={"name": "Huber Gastro GmbH - Zentrallager", "line1": "Laxenburger Straße 220", "postal_code": "1100",
             "city": "Wien", "country": "AT"},
    currency="EUR",
    language="de",
    items=items([
        ("GN-11-100", "GN-Behälter 1/1, 100 mm, Edelstahl", "36", "14.20", "Stk"),
        ("TEL-FL-27", "Teller flach 27 cm, Porzellan", "240", "3.15", "Stk"),
        ("BST-SET-24", "Besteckset 24-teilig", "20", "29.90", "Set"),
    ]),
    tax_rate=Decimal(20),
)  # fmt: skip
COLUMNS = [Column(50), Column(80), Column(160), Column(370, True), Column(378), Column(468, True),
           Column(545, True)]  # fmt: skip


def sample():
    return styled("at-bmd", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(50, 50, order.buyer, 14, bold=True)
    sheet.text(50, 64, "Mariahilfer Straße 88, A-1070 Wien · UID ATU12345678", 7.5)
    sheet.block(
        50, 110, ["Lieferant", "Gastrobedarf Steiner KG", "Industriezeile 12", "A-4020 Linz"], bold=True
    )
    to = order.ship_to
    sheet.block(320, 110, ["Lieferadresse", to["name"], to["line1"], f"A-{to['postal_code']} {to['city']}",
                           "Österreich"], bold=True)  # fmt: skip
    sheet.text(50, 195, f"Bestellung Nr. {order.number}", 13, bold=True)
    sheet.block(320, 185, ["Bestelldatum: 05.11.2026", "Liefertermin: 24.11.2026"], size=9)
    titles = [
        "Pos",
        "Artikel-Nr.",
        "Artikelbezeichnung",
        "Menge",
        "Einheit",
        "Einzelpreis €",
        "Gesamtpreis €",
    ]
    sheet.row(COLUMNS, titles, 230, 8, True)
    sheet.rule(50, 545, 234)
    top = 234
    for number, item in enumerate(order.items, 1):
        top += 15
        cells = [str(number), item.code, item.description, str(item.quantity), item.unit, amount(item.price, "eu"),
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    rows = [("Nettosumme", order.subtotal), ("USt 20%", order.tax), ("Gesamtsumme EUR", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(390, top + 28 + 14 * i, label, 9, bold=i == 2)
        sheet.text(545, top + 28 + 14 * i, amount(value, "eu"), 9, bold=i == 2, right=True)
    return sheet.pdf()
