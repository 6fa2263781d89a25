"""An Oracle purchase order: "Supplier:", "Ship To:" and "Bill To:" blocks (the bill-to is the buyer's
accounts payable), each line on two rows (the item number, then its description under it), a "Need By"
date per line, quantities with decimals ("12.00"), "UOM" in EA, "Unit Price (USD)", "Ext. Price" and
"Total: ... USD"."""

import datetime as dt

from evals.order_entry.styles.order import Order, amount, items, styled
from evals.order_entry.styles.sheet import Column, Sheet

ORDER = Order(
    number="10023945",
    date=dt.date(2026, 6, 18),
    delivery=dt.date(2026, 7, 1),
    buyer="Summit Medical Devices Corp.",
    ship_to={"name": "Summit Medical Devices - Receiving Dock B", "line1": "6120 Research Blvd",
             "postal_code": "78759", "city": "Austin", "country": "US"},
    currency="USD",
    language="en",
    items=items([
        ("SMD-TUB-0412", "Silicone tubing 4 mm ID, 30 m roll", "20", "86.40"),
        ("SMD-CON-LL10", "Luer lock connector, female, bag of 100", "15", "42.75"),
        ("SMD-GLV-NTM", "Nitrile exam gloves, medium, box of 200", "60", "18.90"),
        ("SMD-SWB-7525", "Alcohol prep pads 70% IPA, box of 200", "40", "6.35"),
    ]),
)  # fmt: skip
COLUMNS = [Column(40), Column(75), Column(330), Column(425, True), Column(433), Column(522, True),
           Column(572, True)]  # fmt: skip


def sample():
    return styled("us-oracle", ORDER, render(ORDER))


def render(order: Order) -> bytes:
    sheet = Sheet()
    sheet.text(40, 45, order.buyer, 13, bold=True)
    sheet.text(572, 45, "PURCHASE ORDER", 13, bold=True, right=True)
    for i, (label, value) in enumerate(
        [("Order", f"{order.number} / Rev 0"), ("Order Date", "18-JUN-2026"), ("Buyer", "Morales, Ana")]
    ):
        sheet.text(430, 65 + 12 * i, label, 8, bold=True)
        sheet.text(572, 65 + 12 * i, value, 8, right=True)
    sheet.block(40, 120, ["Supplier:", "Lone Star Clinical Supply", "900 Congress Ave", "Houston, TX 77002"],
                bold=True)  # fmt: skip
    to = order.ship_to
    sheet.block(220, 120, ["Ship To:", to["name"], to["line1"], f"{to['city']}, TX {to['postal_code']}"],
                bold=True)  # fmt: skip
    sheet.block(420, 120, ["Bill To:", order.buyer, "Accounts Payable", "PO Box 4410", "Austin, TX 78711"],
                bold=True)  # fmt: skip
    titles = ["Line", "Item/Description", "Need By", "Quantity", "UOM", "Unit Price (USD)", "Ext. Price"]
    sheet.row(COLUMNS, titles, 210, 7.5, True)
    sheet.rule(40, 572, 214)
    top = 214
    for line, item in enumerate(order.items, 1):
        top += 14
        cells = [str(line), item.code, "01-JUL-2026", amount(item.quantity), "EA", amount(item.price),
                 amount(item.total)]  # fmt: skip
        sheet.row(COLUMNS, cells, top, 8)
        sheet.text(75, top + 11, item.description, 8)
        top += 11
    sheet.rule(40, 572, top + 8)
    sheet.text(470, top + 24, "Total:", 9, bold=True, right=True)
    sheet.text(572, top + 24, f"{amount(order.total)} USD", 9, bold=True, right=True)
    sheet.text(572, 770, "Page 1 of 1", 7.5, right=True)
    return sheet.pdf()
