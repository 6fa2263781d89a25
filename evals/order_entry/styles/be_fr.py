"""A Belgian purchase order in French: "Bon de commande" with "N° :" and "Date :" boxes, a "Fournisseur"
block beside "Adresse de livraison", "Réf. fournisseur | Désignation | Quantité | Unité | Prix unitaire |
Total" with "pce", "TVA 21%" and "Total TVAC" in euros; the supplier's own reference printed as the code."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="BC-26-0871",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 16),
    buyer="Peeters Électricité SRL",
    ship_to={"name": "Peeters Électricité SRL - Chantier Louise", "line1": "Avenue Louise 231",
             "postal_code": "1050", "city": "Bruxelles", "country": "BE"},
    currency="EUR",
    language="fr",
    items=items([
        ("XVB-3G2.5-100", "Câble XVB 3G2,5 mm², couronne 100 m", "5", "142.00", "pce"),
        ("NIKO-101-00001", "Interrupteur unipolaire blanc", "40", "6.35", "pce"),
        ("NIKO-170-00000", "Prise de courant avec terre, blanc", "60", "5.90", "pce"),
        ("HAG-MBN116", "Disjoncteur 1P+N 16 A courbe B", "24", "17.80", "pce"),
        ("LED-PAN-6060", "Panneau LED 60 x 60 cm, 36 W", "18", "39.50", "pce"),
    ]),
    tax_rate=Decimal(21),
)  # fmt: skip
COLUMNS = [Column(40), Column(120), Column(380, True), Column(390), Column(470, True), Column(555, True)]


def sample():
    return styled("be-fr", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["Chaussée de Wavre 512, 1040 Etterbeek", "TVA BE 0456.789.123"], size=8)
    sheet.text(555, 50, "Bon de commande", 16, bold=True, right=True)
    for i, (label, value) in enumerate([("N° :", order.number), ("Date :", "05/11/2026"),
                                        ("Livraison :", "16/11/2026")]):  # fmt: skip
        sheet.box(400 + 52 * i, 70, 52, 28)
        sheet.text(404 + 52 * i, 79, label, 7, bold=True)
        sheet.text(404 + 52 * i, 92, value, 7.5)
    sheet.block(40, 125, ["Fournisseur", "Janssens Elektro BV", "Meir 44", "2000 Antwerpen"], bold=True)
    to = order.ship_to
    sheet.block(320, 125, ["Adresse de livraison", to["name"], to["line1"], f"{to['postal_code']} {to['city']}",
                           "Belgique"], bold=True)  # fmt: skip
    titles = ["Réf. fournisseur", "Désignation", "Quantité", "Unité", "Prix unitaire", "Total"]
    sheet.row(COLUMNS, titles, 215, 8, True)
    sheet.rule(40, 555, 219)
    top = 219
    for item in order.items:
        top += 15
        cells = [item.code, item.description, str(item.quantity), item.unit, f"{amount(item.price, 'eu')} €",
                 f"{amount(item.total, 'eu')} €"]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    rows = [("Total HTVA", order.subtotal), ("TVA 21%", order.tax), ("Total TVAC", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(420, top + 28 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 28 + 14 * i, f"{amount(value, 'eu')} €", 9, bold=i == 2, right=True)
    sheet.text(40, 800, "Page 1 de 1", 7.5)
    return sheet.pdf()
