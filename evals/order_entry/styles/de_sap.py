"""An SAP purchase order (MEDRUCK) from a German firm: the sender's return line above the window, the
supplier in the window with no label, the buyer's logo and an info block at the right ("Bestellnummer",
"Datum", "Liefertermin"), positions 00010, 00020, numeric-with-dash material numbers, "Bestellmenge" with
three decimals ("12,000"), "ME" in ST, "Preis/ME", "Nettowert", "Gesamtnettowert ohne MwSt. EUR" and
"Gesamtbetrag EUR", "Seite 1 von 1"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="4500017421",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 26),
    buyer="Müller Antriebstechnik GmbH",
    ship_to={"name": "Müller Antriebstechnik GmbH - Werk 2", "line1": "Industriestraße 44",
             "postal_code": "50829", "city": "Köln", "country": "DE"},
    currency="EUR",
    language="de",
    items=items([
        ("100-4711", "Rillenkugellager 6204-2RS", "200", "3.18", "ST"),
        ("100-4712", "Rillenkugellager 6205-2RS", "150", "3.92", "ST"),
        ("210-0815", "Wellendichtring 30x47x7 NBR", "300", "0.84", "ST"),
        ("330-1200", "Zahnriemen HTD 8M-1200-30", "12", "46.50", "ST"),
        ("400-0042", "Schmierfett Lithium EP2, Kartusche 400 g", "48", "5.75", "ST"),
    ]),
    tax_rate=Decimal(19),
)  # fmt: skip
COLUMNS = [Column(57), Column(95), Column(160), Column(395, True), Column(402), Column(470, True),
           Column(540, True)]  # fmt: skip


def sample():
    return styled("de-sap", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(540, 50, order.buyer, 15, bold=True, right=True)
    sheet.text(57, 128, f"{order.buyer} · Kölner Straße 12 · 50667 Köln", 6.5)
    sheet.block(57, 145, ["Kugellager Weber KG", "Herrn Thomas Weber", "Am Markt 3", "80331 München"], 12, 10)
    _info(sheet, order)
    sheet.text(57, 265, "Bestellung", 13, bold=True)
    to = order.ship_to
    sheet.block(57, 285, ["Bitte liefern Sie an:", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"],
                size=8.5, bold=True)  # fmt: skip
    titles = ["Pos.", "Material", "Bezeichnung", "Bestellmenge", "ME", "Preis/ME", "Nettowert"]
    sheet.row(COLUMNS, titles, 350, 8, True)
    sheet.rule(57, 540, 354)
    top = 354
    for position, item in enumerate(order.items, 1):
        top += 14
        cells = [f"{10 * position:05d}", item.code, item.description, amount(item.quantity, "eu", 3), item.unit,
                 amount(item.price, "eu"), amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    _totals(sheet, order, top + 28)
    sheet.text(540, 800, "Seite 1 von 1", 7.5, right=True)
    sheet.text(57, 800, "Es gelten unsere Allgemeinen Einkaufsbedingungen.", 7.5)
    return sheet.pdf()


def _info(sheet: Sheet, order: Order):
    fields = [
        ("Bestellnummer", order.number),
        ("Datum", "05.11.2026"),
        ("Ihre Lieferantennr.", "700412"),
        ("Ansprechpartner", "Frau Keller"),
        ("Telefon", "0221 4711-230"),
        ("Liefertermin", "26.11.2026"),
    ]
    for i, (label, value) in enumerate(fields):
        sheet.text(360, 140 + 12 * i, label, 8)
        sheet.text(450, 140 + 12 * i, value, 8)


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Gesamtnettowert ohne MwSt. EUR", order.subtotal), ("zzgl. 19 % MwSt.", order.tax),
            ("Gesamtbetrag EUR", order.total)]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        sheet.text(300, top + 13 * i, label, 8.5, bold=i == 2)
        sheet.text(540, top + 13 * i, amount(value, "eu"), 8.5, bold=i == 2, right=True)
