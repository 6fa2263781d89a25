"""A French order as EBP or Ciel print it: "BON DE COMMANDE" with "Numéro", "Date" and "Délai" in a
stacked block with two-digit years ("05/11/26"), "Fournisseur :" and "Livraison :" blocks, "Référence |
Désignation | Qté | PU HT | Remise | Total HT" with an empty discount, "Port HT", "Total HT", "TVA 20,00 %",
"Net à payer"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="BC00125",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 20),
    buyer="Girard Jardinerie SARL",
    ship_to={"name": "Girard Jardinerie SARL", "line1": "Route de Vannes", "postal_code": "44700",
             "city": "Orvault", "country": "FR"},
    currency="EUR",
    language="fr",
    items=items([
        ("TER-UNIV-50", "Terreau universel, sac de 50 L", "120", "6.90"),
        ("ENG-GAZ-10", "Engrais gazon longue durée, 10 kg", "30", "24.50"),
        ("TUY-ARR-25", "Tuyau d'arrosage 19 mm, 25 m", "15", "32.00"),
        ("SEC-BYP-21", "Sécateur bypass 21 cm", "40", "13.80"),
    ]),
    tax_rate=Decimal(20),
    shipping=Decimal("45.00"),
)  # fmt: skip
COLUMNS = [
    Column(40),
    Column(120),
    Column(360, True),
    Column(425, True),
    Column(470, True),
    Column(555, True),
]


def sample():
    return styled("fr-ebp", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["Route de Vannes - 44700 Orvault", "SIRET 498 765 432 00017 - APE 4776Z"], size=8)
    sheet.text(555, 50, "BON DE COMMANDE", 14, bold=True, right=True)
    for i, (label, value) in enumerate([("Numéro :", order.number), ("Date :", "05/11/26"),
                                        ("Délai :", "20/11/26")]):  # fmt: skip
        sheet.text(420, 72 + 12 * i, label, 9)
        sheet.text(555, 72 + 12 * i, value, 9, right=True)
    sheet.block(320, 125, ["Fournisseur :", "Moreau Horticulture SAS", "ZA du Bois Joli", "49130 Les Ponts-de-Cé"],
                bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(
        40, 125, ["Livraison :", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"], bold=True
    )
    titles = ["Référence", "Désignation", "Qté", "PU HT", "Remise", "Total HT"]
    sheet.row(COLUMNS, titles, 210, 8.5, True)
    sheet.rule(40, 555, 214)
    top = 214
    for item in order.items:
        top += 15
        cells = [item.code, item.description, amount(item.quantity, "fr"), amount(item.price, "fr"), "",
                 amount(item.total, "fr")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    sheet.rule(40, 555, top + 8)
    rows = [("Port HT", order.shipping), ("Total HT", order.subtotal + order.shipping),
            ("TVA 20,00 %", order.tax), ("Net à payer", order.total)]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        sheet.text(410, top + 26 + 14 * i, label, 9, bold=i == 3)
        sheet.text(555, top + 26 + 14 * i, f"{amount(value, 'fr')} €", 9, bold=i == 3, right=True)
    return sheet.pdf()
