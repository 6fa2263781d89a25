"""A Lexware purchase order: "Lieferant:" block at the left, "Bestell-Nr.", "Datum" and "Liefertermin" at
the right, a separate "Lieferanschrift:", "Pos. | Artikelnr. | Bezeichnung | Menge | Einheit | Einzelpreis
| Gesamtpreis" with "Stk", euro signs after amounts, "Nettobetrag", "zzgl. 19% USt." and "Gesamtbetrag"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="B-2026-0117",
    date=dt.date(2026, 9, 22),
    delivery=dt.date(2026, 10, 6),
    buyer="Schmidt Bürobedarf GmbH",
    ship_to={"name": "Schmidt Bürobedarf GmbH", "line1": "Lagerhalle 3, Hafenstraße 9", "postal_code": "20457",
             "city": "Hamburg", "country": "DE"},
    currency="EUR",
    language="de",
    items=items([
        ("A4-80-500", "Kopierpapier A4 80 g/m², 500 Blatt", "400", "3.49", "Pack"),
        ("ORD-80-BL", "Ordner A4, 80 mm Rücken, blau", "120", "1.95", "Stk"),
        ("KUL-BLAU-10", "Kugelschreiber blau, 10er-Pack", "60", "4.20", "Pack"),
        ("TON-HP-305A", "Toner schwarz, kompatibel HP 305A", "15", "38.90", "Stk"),
        ("HEF-24-6", "Heftklammern 24/6, 1000 Stück", "50", "0.89", "Pack"),
    ]),
    tax_rate=Decimal(19),
)  # fmt: skip
COLUMNS = [Column(50), Column(80), Column(160), Column(390, True), Column(398), Column(480, True),
           Column(545, True)]  # fmt: skip


def sample():
    return styled("de-lexware", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.block(350, 45, [order.buyer, "Hafenstraße 9", "20457 Hamburg", "Tel. 040 123456"], size=8.5,
                bold=True)  # fmt: skip
    sheet.text(50, 120, "Schmidt Bürobedarf GmbH, Hafenstraße 9, 20457 Hamburg", 6.5)
    sheet.block(50, 135, ["Lieferant:", "Papierwelt Bianchi GmbH", "Gewerbering 14", "80331 München"],
                size=9.5, bold=True)  # fmt: skip
    for i, (label, value) in enumerate(
        [
            ("Bestell-Nr.:", order.number),
            ("Datum:", "22.09.2026"),
            ("Kunden-Nr.:", "K-30871"),
            ("Liefertermin:", "06.10.2026"),
        ]
    ):
        sheet.text(350, 140 + 12 * i, label, 9)
        sheet.text(545, 140 + 12 * i, value, 9, right=True)
    to = order.ship_to
    sheet.block(350, 205, ["Lieferanschrift:", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"],
                size=9, bold=True)  # fmt: skip
    sheet.text(50, 270, f"Bestellung {order.number}", 14, bold=True)
    sheet.text(
        50, 290, "Sehr geehrte Damen und Herren, wir bestellen hiermit zu Ihren bekannten Konditionen:", 9
    )
    titles = ["Pos.", "Artikelnr.", "Bezeichnung", "Menge", "Einheit", "Einzelpreis", "Gesamtpreis"]
    sheet.row(COLUMNS, titles, 320, 8.5, True)
    sheet.rule(50, 545, 324)
    top = 324
    for position, item in enumerate(order.items, 1):
        top += 15
        cells = [str(position), item.code, item.description, str(item.quantity), item.unit,
                 f"{amount(item.price, 'eu')} €", f"{amount(item.total, 'eu')} €"]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    sheet.rule(50, 545, top + 8)
    _totals(sheet, order, top + 26)
    sheet.text(297, 805, "Seite 1 von 1", 7.5)
    return sheet.pdf()


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Nettobetrag", order.subtotal), ("zzgl. 19% USt.", order.tax), ("Gesamtbetrag", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(380, top + 14 * i, label, 9, bold=i == 2)
        sheet.text(545, top + 14 * i, f"{amount(value, 'eu')} €", 9, bold=i == 2, right=True)
