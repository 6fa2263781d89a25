"""A French "commande fournisseur" as Cegid or Sage 100 print it: a grid of "N° commande | Date | Code
fournisseur" boxes, the supplier in the window at the right under "Fournisseur", "Adresse de livraison"
at the left, "Code article | Désignation | Unité | Qté | P.U. HT | Montant HT" with quantities "12,00" and
units "pce", amounts "1 234,56", then "Total HT", "TVA 20 %", "Total TTC EUR"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="CF260318",
    date=dt.date(2026, 10, 14),
    delivery=dt.date(2026, 10, 28),
    buyer="Outillage Moreau SA",
    ship_to={"name": "Outillage Moreau SA - Dépôt Sud", "line1": "ZI des Pradettes, 8 chemin du Canal",
             "postal_code": "31100", "city": "Toulouse", "country": "FR"},
    currency="EUR",
    language="fr",
    items=items([
        ("PER-18V-02", "Perceuse-visseuse 18 V, 2 batteries 2 Ah", "8", "129.00", "pce"),
        ("MEC-HSS-19", "Coffret de 19 forets HSS 1 à 10 mm", "15", "22.40", "pce"),
        ("DIS-125-INOX", "Disque à tronçonner inox 125 x 1 mm, lot de 10", "40", "11.90", "lot"),
        ("GAN-NIT-L", "Gants nitrile enduits, taille 9", "120", "2.35", "paire"),
        ("MET-5M-25", "Mètre ruban 5 m x 25 mm", "24", "6.80", "pce"),
        ("NIV-ALU-60", "Niveau à bulle aluminium 60 cm", "10", "17.25", "pce"),
    ]),
    tax_rate=Decimal(20),
)  # fmt: skip
COLUMNS = [Column(40), Column(120), Column(330), Column(400, True), Column(470, True), Column(555, True)]


def sample():
    return styled("fr-cegid", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 48, order.buyer, 16, bold=True)
    sheet.block(40, 64, ["SA au capital de 150 000 €", "8 chemin du Canal - 31100 Toulouse",
                         "Tél. 05 61 00 00 00 - SIRET 512 345 678 00021"], size=7.5)  # fmt: skip
    sheet.text(555, 48, "COMMANDE FOURNISSEUR", 13, bold=True, right=True)
    _grid(sheet, order)
    sheet.box(320, 150, 235, 66)
    sheet.block(326, 162, ["Fournisseur", "Quincaillerie Fontaine SARL", "17 boulevard Voltaire",
                           "75011 Paris"], bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(40, 162, ["Adresse de livraison", to["name"], "ZI des Pradettes, 8 chemin du Canal",
                          f"{to['postal_code']} {to['city']}"], bold=True)  # fmt: skip
    sheet.text(40, 232, "Livraison souhaitée le : 28/10/2026", 9)
    sheet.box(36, 250, 522, 16, fill=0.9)
    sheet.row(
        COLUMNS, ["Code article", "Désignation", "Unité", "Qté", "P.U. HT", "Montant HT"], 261, 8.5, True
    )
    top = 261
    for item in order.items:
        top += 15
        cells = [item.code, item.description, item.unit, amount(item.quantity, "fr"), amount(item.price, "fr"),
                 amount(item.total, "fr")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
    _totals(sheet, order, top + 30)
    sheet.text(555, 810, "Page 1/1", 7.5, right=True)
    return sheet.pdf()


def _grid(sheet: Sheet, order: Order):
    cells = [("N° commande", order.number), ("Date", "14/10/2026"), ("Code fournisseur", "FONT01")]
    for i, (label, value) in enumerate(cells):
        sheet.box(320 + 80 * i, 80, 80, 30)
        sheet.text(325 + 80 * i, 90, label, 7.5, bold=True)
        sheet.text(325 + 80 * i, 104, value, 9)


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Total HT", order.subtotal), ("TVA 20 %", order.tax), ("Total TTC EUR", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(420, top + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 14 * i, amount(value, "fr"), 9, bold=i == 2, right=True)
