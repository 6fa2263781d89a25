"""A TeamSystem "ordine a fornitore": a ruled grid of "Numero | Data | Pagina" with "1/1", the supplier
under "Spett.le" in the window at the right, "Destinazione merce" at the left, "Cod. art. | Descrizione |
UdM | Q.tà | Prezzo unitario | Totale riga" with "PZ" and "12,00", "Imponibile", "IVA 22%" and "Totale
documento EUR"; the delivery date under "Consegna"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="OF/2026/0412",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 30),
    buyer="Bianchi Ferramenta S.r.l.",
    ship_to={"name": "Bianchi Ferramenta S.r.l. - Magazzino", "line1": "Via dell'Industria 21",
             "postal_code": "10156", "city": "Torino", "country": "IT"},
    currency="EUR",
    language="it",
    items=items([
        ("VIT-4X40-Z", "Viti truciolari 4x40 zincate, conf. 500 pz", "60", "6.90", "CF"),
        ("TAS-NY-8", "Tasselli nylon 8 mm, conf. 100 pz", "80", "3.40", "CF"),
        ("SIL-TRA-280", "Silicone trasparente 280 ml", "144", "2.75", "PZ"),
        ("NAS-AME-50", "Nastro americano 50 mm x 25 m", "96", "3.10", "PZ"),
        ("CAC-PH2-25", "Inserti PH2 25 mm, conf. 10 pz", "40", "4.85", "CF"),
        ("GUA-LAT-9", "Guanti in lattice taglia 9, conf. 100", "30", "7.60", "CF"),
    ]),
    tax_rate=Decimal(22),
)  # fmt: skip
COLUMNS = [Column(40), Column(115), Column(345), Column(400, True), Column(475, True), Column(555, True)]


def sample():
    return styled("it-teamsystem", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["Corso Francia 140 - 10143 Torino (TO)", "P.IVA 01234560017"], size=8)
    sheet.text(40, 110, "ORDINE A FORNITORE", 12, bold=True)
    _grid(sheet, order)
    sheet.block(
        330, 100, ["Spett.le", "Conti Utensili S.p.A.", "Via Garibaldi 88", "20121 Milano (MI)"], 12, 10
    )
    to = order.ship_to
    sheet.block(40, 185, ["Destinazione merce", to["name"], to["line1"], f"{to['postal_code']} {to['city']} (TO)"],
                bold=True)  # fmt: skip
    sheet.text(330, 185, "Consegna: 30/11/2026", 9)
    sheet.text(330, 197, "Pagamento: RiBa 60 gg d.f.", 9)
    titles = ["Cod. art.", "Descrizione", "UdM", "Q.tà", "Prezzo unitario", "Totale riga"]
    sheet.box(36, 250, 522, 16)
    sheet.row(COLUMNS, titles, 261, 8, True)
    top = 261
    for item in order.items:
        top += 15
        cells = [item.code, item.description, item.unit, amount(item.quantity, "eu"), amount(item.price, "eu"),
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    rows = [("Imponibile", order.subtotal), ("IVA 22%", order.tax), ("Totale documento EUR", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 30 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 30 + 14 * i, amount(value, "eu"), 9, bold=i == 2, right=True)
    return sheet.pdf()


def _grid(sheet: Sheet, order: Order):
    for i, (label, value) in enumerate([("Numero", order.number), ("Data", "05/11/2026"), ("Pagina", "1/1")]):
        sheet.box(40 + 85 * i, 120, 85, 28)
        sheet.text(45 + 85 * i, 130, label, 7.5, bold=True)
        sheet.text(45 + 85 * i, 143, value, 9)
