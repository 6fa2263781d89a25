"""A Spanish "pedido a proveedor" as A3 or Sage Murano print it: a ruled grid of "Nº Pedido | Fecha |
Proveedor" under the title, "Código | Descripción | Cantidad | Precio | Dto. % | Importe" with a zero
discount column and quantities "12,00", "Portes", "IVA 21%" and "TOTAL PEDIDO"; the supplier's address in
the window at the right, "Entregar en:" at the left."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="PP-2026-00871",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 11, 20),
    buyer="Ruiz Construcciones S.L.",
    ship_to={"name": "Ruiz Construcciones S.L. - Obra Benimaclet", "line1": "Calle de Alboraya 55",
             "postal_code": "46020", "city": "Valencia", "country": "ES"},
    currency="EUR",
    language="es",
    items=items([
        ("CEM-II-25", "Cemento gris CEM II/B-L 32,5 N, saco 25 kg", "80", "5.90"),
        ("LAD-HD-7", "Ladrillo hueco doble 24x11,5x7", "2400", "0.21"),
        ("ARE-LAV-1T", "Arena lavada 0/4, big bag 1 t", "6", "48.00"),
        ("MAL-ELE-15", "Malla electrosoldada 15x15 Ø5, panel", "30", "19.75"),
    ]),
    tax_rate=Decimal(21),
    shipping=Decimal("65.00"),
)  # fmt: skip
COLUMNS = [
    Column(40),
    Column(110),
    Column(380, True),
    Column(440, True),
    Column(490, True),
    Column(555, True),
]


def sample():
    return styled("es-a3", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 50, order.buyer, 13, bold=True)
    sheet.block(
        40, 63, ["Avenida del Puerto 210, 46023 Valencia", "CIF B98765432 · Tel. 963 000 000"], size=8
    )
    sheet.text(40, 105, "PEDIDO A PROVEEDOR", 12, bold=True)
    for i, (label, value) in enumerate([("Nº Pedido", order.number), ("Fecha", "05/11/2026"),
                                        ("Proveedor", "400087")]):  # fmt: skip
        sheet.box(40 + 80 * i, 115, 80, 28)
        sheet.text(44 + 80 * i, 125, label, 7.5, bold=True)
        sheet.text(44 + 80 * i, 138, value, 8.5)
    sheet.block(330, 100, ["Materiales Levante S.A.", "Polígono Fuente del Jarro", "Calle Ciudad de Sevilla 12",
                           "46988 Paterna"], 12, 9.5)  # fmt: skip
    to = order.ship_to
    sheet.block(
        40, 170, ["Entregar en:", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"], bold=True
    )
    sheet.text(330, 170, "Fecha de entrega: 20/11/2026", 9)
    titles = ["Código", "Descripción", "Cantidad", "Precio", "Dto. %", "Importe"]
    sheet.box(36, 230, 522, 16, fill=0.9)
    sheet.row(COLUMNS, titles, 241, 8.5, True)
    top = 241
    for item in order.items:
        top += 15
        cells = [item.code, item.description, amount(item.quantity, "eu"), amount(item.price, "eu"), "0,00",
                 amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8.5)
    rows = [("Base imponible", order.subtotal), ("Portes", order.shipping), ("IVA 21%", order.tax),
            ("TOTAL PEDIDO", order.total)]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        sheet.text(400, top + 30 + 14 * i, label, 9, bold=i == 3)
        sheet.text(555, top + 30 + 14 * i, f"{amount(value, 'eu')} €", 9, bold=i == 3, right=True)
    return sheet.pdf()
