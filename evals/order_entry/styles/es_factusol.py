"""A Spanish order as FactuSOL prints it: "Nº de pedido:" and "Fecha: 5 de noviembre de 2026" in a stacked
block, "Proveedor" and "Dirección de envío" side by side, "Artículo | Descripción | Uds. | Precio | % Dto |
Importe" with an empty discount, "Base imponible", "IVA 21 %" and "TOTAL"."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="2026/00311",
    date=dt.date(2026, 11, 5),
    buyer="Bodegas Conti S.A.",
    ship_to={"name": "Bodegas Conti S.A.", "line1": "Carretera de Haro km 4", "postal_code": "26200",
             "city": "Haro", "country": "ES"},
    currency="EUR",
    language="es",
    items=items([
        ("BOT-BOR-75", "Botella bordelesa 75 cl, verde", "3000", "0.38"),
        ("COR-NAT-45", "Corcho natural 45 mm", "3000", "0.21"),
        ("CAJ-6B-KRAFT", "Caja de cartón para 6 botellas", "500", "0.95"),
    ]),
    tax_rate=Decimal(21),
)  # fmt: skip
COLUMNS = [
    Column(40),
    Column(115),
    Column(385, True),
    Column(445, True),
    Column(490, True),
    Column(555, True),
]


def sample():
    return styled("es-factusol", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 14, bold=True)
    sheet.text(40, 64, "Carretera de Haro km 4 - 26200 Haro (La Rioja) - CIF A26123456", 8)
    sheet.text(555, 50, "PEDIDO", 16, bold=True, right=True)
    sheet.block(400, 72, [f"Nº de pedido: {order.number}", "Fecha: 5 de noviembre de 2026"], size=8.5)
    sheet.block(40, 115, ["Proveedor", "Envases del Ebro S.L.", "Polígono Cantabria II, calle B 7",
                          "26009 Logroño"], bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(320, 115, ["Dirección de envío", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"],
                bold=True)  # fmt: skip
    sheet.row(COLUMNS, ["Artículo", "Descripción", "Uds.", "Precio", "% Dto", "Importe"], 200, 8.5, True)
    sheet.rule(40, 555, 204)
    top = 204
    for item in order.items:
        top += 15
        cells = [item.code, item.description, amount(item.quantity, "eu", 0), amount(item.price, "eu"), "",
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    rows = [("Base imponible", order.subtotal), ("IVA 21 %", order.tax), ("TOTAL", order.total)]
    for i, (label, value) in enumerate(rows):
        sheet.text(410, top + 28 + 14 * i, label, 9, bold=i == 2)
        sheet.text(555, top + 28 + 14 * i, f"{amount(value, 'eu')} €", 9, bold=i == 2, right=True)
    return sheet.pdf()
