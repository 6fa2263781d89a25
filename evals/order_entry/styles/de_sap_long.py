"""A long SAP purchase order over three pages: positions 00010 to 00400, the material's long text wrapped
onto a second row under its short text, the column header repeated on each page under a "Bestellung
4500023311 / Seite n von 3" line, "Übertrag" at the foot of a page and the head of the next, and the
totals on the last page only."""

import datetime as dt
from decimal import Decimal

from evals.order_entry.styles.order import Item, Order, amount, styled
from evals.order_entry.styles.sheet import Column, Sheet

PRODUCTS = [
    ("Sechskantschraube ISO 4017 M8x25, 8.8", "galvanisch verzinkt, VE 200 Stück", "7.90"),
    ("Zylinderschraube ISO 4762 M6x16, 12.9", "schwarz brüniert, VE 100 Stück", "6.45"),
    ("Scheibe ISO 7089 8 mm, A2", "Edelstahl, VE 500 Stück", "5.10"),
    ("Gewindestange DIN 976 M12, 1 m", "Festigkeitsklasse 4.8, verzinkt", "2.35"),
    ("Spannstift ISO 8752 6x30", "Federstahl, VE 100 Stück", "4.80"),
]  # fmt: skip
ITEMS = [
    Item(f"200-{3100 + 7 * i}", f"{PRODUCTS[i % 5][0]} {PRODUCTS[i % 5][1]}", Decimal(10 * (i % 9 + 1)),
         Decimal(PRODUCTS[i % 5][2]), "ST")
    for i in range(40)
]  # fmt: skip
ORDER = Order(
    number="4500023311",
    date=dt.date(2026, 11, 5),
    delivery=dt.date(2026, 12, 3),
    buyer="Weber Maschinenbau AG",
    ship_to={"name": "Weber Maschinenbau AG - Wareneingang Tor 3", "line1": "Robert-Bosch-Straße 21",
             "postal_code": "70565", "city": "Stuttgart", "country": "DE"},
    currency="EUR",
    language="de",
    items=ITEMS,
    tax_rate=Decimal(19),
)  # fmt: skip
COLUMNS = [Column(57), Column(95), Column(160), Column(405, True), Column(412), Column(480, True),
           Column(540, True)]  # fmt: skip
PER_PAGE = 17


def sample():
    return styled("de-sap-long", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    pages = [order.items[i : i + PER_PAGE] for i in range(0, len(order.items), PER_PAGE)]
    carried = Decimal(0)
    for number, chunk in enumerate(pages, 1):
        top = _first_page(sheet, order) if number == 1 else _next_page(sheet, order, number, len(pages))
        top = _table(sheet, chunk, top, carried, (number - 1) * PER_PAGE)
        carried += sum((item.total for item in chunk), Decimal(0))
        if number < len(pages):
            _row(sheet, "Übertrag", carried, top + 18)
            sheet.text(540, 800, f"Seite {number} von {len(pages)}", 7.5, right=True)
            sheet.next_page()
    _totals(sheet, order, top + 26)
    sheet.text(540, 800, f"Seite {len(pages)} von {len(pages)}", 7.5, right=True)
    return sheet.pdf()


def _first_page(sheet: Sheet, order: Order) -> float:
    sheet.text(540, 50, order.buyer, 15, bold=True, right=True)
    sheet.text(57, 128, f"{order.buyer} · Postfach 80 11 20 · 70511 Stuttgart", 6.5)
    sheet.block(57, 145, ["Schrauben Keller GmbH", "Am Markt 12", "80331 München"], 12, 10)
    for i, (label, value) in enumerate(
        [
            ("Bestellnummer", order.number),
            ("Datum", "05.11.2026"),
            ("Liefertermin", "03.12.2026"),
            ("Lieferantennr.", "100233"),
        ]
    ):
        sheet.text(360, 140 + 12 * i, label, 8)
        sheet.text(450, 140 + 12 * i, value, 8)
    to = order.ship_to
    sheet.block(57, 215, ["Lieferanschrift:", to["name"], to["line1"], f"{to['postal_code']} {to['city']}"],
                size=8.5, bold=True)  # fmt: skip
    sheet.text(57, 280, "Bestellung", 13, bold=True)
    return 300


def _next_page(sheet: Sheet, order: Order, number: int, pages: int) -> float:
    sheet.text(57, 50, f"Bestellung {order.number} / Seite {number} von {pages}", 9)
    return 80


def _table(sheet: Sheet, chunk: list[Item], top: float, carried: Decimal, before: int) -> float:
    """The page's rows after `before` lines on earlier pages, under the header and, after page 1, the
    carried-forward row."""
    titles = ["Pos.", "Material", "Bezeichnung", "Menge", "ME", "Preis/ME", "Nettowert"]
    sheet.row(COLUMNS, titles, top, 8, True)
    sheet.rule(57, 540, top + 4)
    top += 4
    if before:
        top += 14
        _row(sheet, "Übertrag", carried, top)
    for index, item in enumerate(chunk, before + 1):
        short, long = item.description.split(" ", 1)
        top += 14
        cells = [f"{10 * index:05d}", item.code, short, amount(item.quantity, "eu", 3), item.unit,
                 amount(item.price, "eu"), amount(item.total, "eu")]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
        top += 10
        sheet.text(160, top, long, 8)
    return top


def _row(sheet: Sheet, label: str, value: Decimal, top: float):
    sheet.text(160, top, label, 8, bold=True)
    sheet.text(540, top, amount(value, "eu"), 8, bold=True, right=True)


def _totals(sheet: Sheet, order: Order, top: float):
    rows = [("Gesamtnettowert ohne MwSt. EUR", order.subtotal), ("zzgl. 19 % MwSt.", order.tax),
            ("Gesamtbetrag EUR", order.total)]  # fmt: skip
    for i, (label, value) in enumerate(rows):
        sheet.text(300, top + 13 * i, label, 8.5, bold=i == 2)
        sheet.text(540, top + 13 * i, amount(value, "eu"), 8.5, bold=i == 2, right=True)
