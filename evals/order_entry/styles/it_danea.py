"""An Italian order as Danea Easyfatt prints it: "Ordine fornitore" with "Num." and "Data" under it, the
supplier under "Fornitore" at the left and "Destinazione" at the right, "Cod. | Descrizione | Q.tà | U.m.
| Prezzo | Sconti | Importo | Iva" with the VAT code after the amount, "Totale imponibile", "Totale Iva",
"Totale"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="58/B",
    date=dt.date(2026, 11, 5),
    buyer="Rossi Elettroforniture S.r.l.",
    ship_to={"name": "Rossi Elettroforniture S.r.l. - Deposito", "line1": "Via dei Mestieri 14",
             "postal_code": "40138", "city": "Bologna", "country": "IT"},
    currency="EUR",
    language="it",
    items=items([
        ("CAV-FG16-3G15", "Cavo FG16OR16 3G1,5 mm², matassa 100 m", "10", "86.00", "m"),
        ("INT-MAG-16", "Interruttore magnetotermico 1P+N 16 A", "50", "9.40", "pz"),
        ("PRS-SCH-10", "Presa schuko 10/16 A bianca", "120", "3.25", "pz"),
        ("TUB-COR-20", "Tubo corrugato Ø 20 mm, rotolo 50 m", "20", "12.90", "pz"),
    ]),
    tax_rate=Decimal(22),
)  # fmt: skip
COLUMNS = [Column(40), Column(115), Column(360, True), Column(368), Column(440, True), Column(480, True),
           Column(530, True), Column(538)]  # fmt: skip


def sample():
    return styled("it-danea", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["Via Emilia Ponente 220 - 40133 Bologna (BO)", "P.IVA 03456780371"], size=8)
    sheet.text(555, 50, "Ordine fornitore", 15, bold=True, right=True)
    sheet.block(450, 70, ["Num.", order.number], size=8.5)
    sheet.block(505, 70, ["Data", "05/11/2026"], size=8.5)
    sheet.block(40, 115, ["Fornitore", "Conti Materiale Elettrico S.p.A.", "Via Stalingrado 45",
                          "40128 Bologna (BO)"], bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(320, 115, ["Destinazione", to["name"], to["line1"], f"{to['postal_code']} {to['city']} (BO)"],
                bold=True)  # fmt: skip
    titles = ["Cod.", "Descrizione", "Q.tà", "U.m.", "Prezzo", "Sconti", "Importo", "Iva"]
    sheet.box(36, 190, 522, 15, fill=0.9)
    sheet.row(COLUMNS, titles, 200, 8, True)
    top = 200
    for item in order.items:
        top += 15
        cells = [item.code, item.description, amount(item.quantity, "eu"), item.unit, amount(item.price, "eu"), "",
                 amount(item.total, "eu"), "22"]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    rows = [("Totale imponibile", order.subtotal), ("Totale Iva", order.tax), ("Totale", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 28 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 28 + 14 * i, f"€ {amount(value, 'eu')}", 9, bold=i == 2, right=True)
    return sheet.pdf()
