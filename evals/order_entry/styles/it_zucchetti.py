"""An Italian purchase order with its number and date in the title line ("ORDINE D'ACQUISTO N. 2026/118
del 05/11/2026"), "Spett.le" supplier at the right, "Luogo di consegna" at the left, "Articolo |
Descrizione | U.M. | Quantità | Prezzo | Sconto | Importo" with an empty discount column, "Totale imponibile",
"IVA 22%", "Totale ordine"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="2026/118",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 25),
    buyer="Conti Arredamenti S.p.A.",
    ship_to={"name": "Conti Arredamenti S.p.A.", "line1": "Via dell'Artigianato 7", "postal_code": "20851",
             "city": "Lissone", "country": "IT"},
    currency="EUR",
    language="it",
    items=items([
        ("PAN-MEL-18", "Pannello melaminico bianco 18 mm, 280x207", "40", "38.50", "PZ"),
        ("BOR-ABS-22", "Bordo ABS bianco 22x0,8 mm, rotolo 100 m", "25", "12.40", "RT"),
        ("CER-INV-35", "Cerniera invisibile 35 mm con base", "400", "1.38", "PZ"),
        ("GUI-SFE-450", "Guida a sfera 450 mm, coppia", "120", "6.90", "CP"),
    ]),
    tax_rate=Decimal(22),
)  # fmt: skip
COLUMNS = [Column(40), Column(110), Column(330), Column(400, True), Column(460, True), Column(500, True),
           Column(555, True)]  # fmt: skip


def sample():
    return styled("it-zucchetti", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["Viale Brianza 60 - 20851 Lissone (MB)", "C.F. e P.IVA 09876543210"], size=8)
    sheet.block(330, 100, ["Spett.le", "Bianchi Legnami S.r.l.", "Strada Statale 36, km 12", "22040 Lurago (CO)"],
                12, 9.5)  # fmt: skip
    to = order.ship_to
    sheet.block(40, 100, ["Luogo di consegna", to["name"], to["line1"], f"{to['postal_code']} {to['city']} (MB)"],
                bold=True)  # fmt: skip
    sheet.text(40, 185, f"ORDINE D'ACQUISTO N. {order.number} del 05/11/2026", 12, bold=True)
    sheet.text(
        40, 202, "Data consegna richiesta: 25/11/2026    Resa: franco destino    Pagamento: 60 gg f.m.", 8.5
    )
    titles = ["Articolo", "Descrizione", "U.M.", "Quantità", "Prezzo", "Sconto", "Importo"]
    sheet.row(COLUMNS, titles, 235, 8.5, True)
    sheet.rule(40, 555, 239)
    top = 239
    for item in order.items:
        top += 15
        cells = [item.code, item.description, item.unit, amount(item.quantity, "eu"), amount(item.price, "eu"), "",
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    sheet.rule(40, 555, top + 8)
    rows = [("Totale imponibile", order.subtotal), ("IVA 22%", order.tax), ("Totale ordine", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 26 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 26 + 14 * i, f"€ {amount(value, 'eu')}", 9, bold=i == 2, right=True)
    return sheet.pdf()
