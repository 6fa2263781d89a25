"""An Odoo purchase order in French: the number in the title ("Bon de commande n° P00042"), the vendor's
address at the right with no label, "Adresse de livraison :" at the left, label-above-value fields, the
product code in brackets at the head of its description ("[FURN_8888] Lampe de bureau"), quantities with
their unit ("12,00 Unités"), a "Taxes" column and "Montant HT" / "Taxes" / "Total"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="P00042",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 19),
    buyer="Fontaine Mobilier SAS",
    ship_to={"name": "Fontaine Mobilier SAS", "line1": "12 rue des Artisans", "postal_code": "69007",
             "city": "Lyon", "country": "FR"},
    currency="EUR",
    language="fr",
    items=items([
        ("FURN_8888", "Lampe de bureau LED orientable", "12", "34.90"),
        ("FURN_6741", "Fauteuil de bureau ergonomique, noir", "4", "189.00"),
        ("FURN_0269", "Caisson mobile 3 tiroirs", "6", "119.50"),
        ("E-COM07", "Repose-pieds réglable", "10", "24.75"),
    ]),
    tax_rate=Decimal(20),
)  # fmt: skip
COLUMNS = [Column(40), Column(290), Column(350), Column(445, True), Column(500, True), Column(555, True)]


def sample():
    return styled("fr-odoo", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["12 rue des Artisans", "69007 Lyon", "France"], size=8.5)
    sheet.rule(40, 555, 100)
    sheet.text(40, 130, "Adresse de livraison :", 9, bold=True)
    to = order.ship_to
    sheet.block(40, 143, [to["name"], to["line1"], f"{to['postal_code']} {to['city']}", "France"])
    sheet.block(330, 130, ["Ébénisterie Girard SARL", "45 avenue Jean Jaurès", "44000 Nantes", "France",
                           "TVA : FR 12 345678901"])  # fmt: skip
    sheet.text(40, 215, f"Bon de commande n° {order.number}", 16, bold=True)
    fields = [("Représentant achats :", "Claire Moreau"), ("Date de commande :", "05/11/2026 09:42:17"),
              ("Date de réception prévue :", "19/11/2026")]  # fmt: skip
    for i, (label, value) in enumerate(fields):
        sheet.text(40 + 170 * i, 240, label, 8.5, bold=True)
        sheet.text(40 + 170 * i, 252, value, 8.5)
    sheet.row(COLUMNS, ["Description", "Taxes", "Date prévue", "Qté", "Prix unitaire", "Montant"], 285, 8.5,
              True)  # fmt: skip
    sheet.rule(40, 555, 289)
    top = 289
    for item in order.items:
        top += 16
        cells = [
            f"[{item.code}] {item.description}",
            "TVA 20%",
            "19/11/2026",
            f"{amount(item.quantity, 'eu')} Unités",
            amount(item.price, "eu"),
            f"{amount(item.total, 'fr')} €",
        ]
        sheet.row(COLUMNS, cells, top, 8)
    _totals(sheet, order, top + 30)
    sheet.text(297, 810, "Page 1 / 1", 8)
    return sheet.pdf()


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Montant HT", order.subtotal), ("TVA 20%", order.tax), ("Total", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(420, top + 15 * i, label, 9, bold=label == "Total")
        sheet.text(555, top + 15 * i, f"{amount(value, 'fr')} €", 9, bold=label == "Total", right=True)
