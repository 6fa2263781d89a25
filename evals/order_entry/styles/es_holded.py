"""A Holded purchase order from a Spanish firm: "PEDIDO" with "Nº pedido", "Fecha" and "Fecha de entrega",
"Proveedor" and "Dirección de entrega" blocks, the price before the quantity ("Referencia | Concepto |
Precio | Unidades | IVA | Importe neto"), an "IVA" column of "21%", euro signs after amounts,
"Base imponible", "IVA 21%" and "TOTAL"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="PC260117",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 17),
    buyer="García Papelería S.L.",
    ship_to={"name": "García Papelería S.L.", "line1": "Calle de Alcalá 118", "postal_code": "28009",
             "city": "Madrid", "country": "ES"},
    currency="EUR",
    language="es",
    items=items([
        ("CUA-A5-80", "Cuaderno A5 tapa dura, 80 hojas", "150", "2.35"),
        ("BOL-GEL-AZ", "Bolígrafo gel azul 0,7 mm", "500", "0.62"),
        ("ARC-PAL-A4", "Archivador de palanca A4, lomo 75 mm", "80", "2.90"),
        ("CAL-CIE-12", "Calculadora de oficina 12 dígitos", "20", "11.40"),
        ("ROT-FLU-4", "Rotuladores fluorescentes, estuche de 4", "90", "3.15"),
    ]),
    tax_rate=Decimal(21),
)  # fmt: skip
COLUMNS = [
    Column(40),
    Column(115),
    Column(380, True),
    Column(430, True),
    Column(470, True),
    Column(555, True),
]


def sample():
    return styled("es-holded", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.block(40, 64, ["CIF B12345678", "Calle de Alcalá 118, 28009 Madrid"], size=8)
    sheet.text(555, 50, "PEDIDO", 18, bold=True, right=True)
    fields = [("Nº pedido", order.number), ("Fecha", "05/11/2026"), ("Fecha de entrega", "17/11/2026")]
    for i, (label, value) in enumerate(fields):
        sheet.text(400, 75 + 12 * i, label, 8.5, bold=True)
        sheet.text(555, 75 + 12 * i, value, 8.5, right=True)
    sheet.block(40, 130, ["Proveedor", "Distribuciones Ruiz S.A.", "Polígono Industrial Norte, nave 12",
                          "46980 Paterna (Valencia)", "CIF A46123456"], bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(320, 130, ["Dirección de entrega", to["name"], to["line1"], f"{to['postal_code']} {to['city']}",
                           "España"], bold=True)  # fmt: skip
    sheet.box(36, 210, 522, 16, fill=0.92)
    titles = ["Referencia", "Concepto", "Precio", "Unidades", "IVA", "Importe neto"]
    sheet.row(COLUMNS, titles, 221, 8, True)
    top = 221
    for item in order.items:
        top += 16
        cells = [item.code, item.description, f"{amount(item.price, 'eu')} €", str(item.quantity), "21%",
                 f"{amount(item.total, 'eu')} €"]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    rows = [("Base imponible", order.subtotal), ("IVA 21%", order.tax), ("TOTAL", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(420, top + 32 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 32 + 14 * i, f"{amount(value, 'eu')} €", 9, bold=i == 2, right=True)
    sheet.text(40, 800, "Forma de pago: transferencia a 60 días", 7.5)
    return sheet.pdf()
