"""Sample purchase orders for the demo's order entry: two PDFs a B2B customer of the demo might send, one
in English printing our SKUs, one in German printing barcodes, and a line with its description only (found
by similarity), written to `data_dir`/demo-documents/ for staff to drop on the console's Entry page."""

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import Connection, text

FOLDER = "demo-documents"
_BUYER = text(
    """
    SELECT c.name, c.email, o.ship_to FROM orders o JOIN customers c ON c.id = o.customer_id
    WHERE o.channel_id = 'b2b' ORDER BY o.created_at DESC, o.id LIMIT 1
    """
)
_PRODUCTS = text(
    """
    SELECT sku, name, barcode, unit_price FROM products
    WHERE active AND barcode IS NOT NULL AND currency = 'EUR' ORDER BY md5(sku) LIMIT 6  -- varied, and the same
    """
)
_ENGLISH = {"title": "PURCHASE ORDER", "number": "PO number:", "date": "Order date:", "contact": "Contact:",
            "ship_to": "Ship to:", "columns": ("SKU", "Description", "Qty", "Unit price", "Amount"),
            "total": "Total EUR"}  # fmt: skip
_GERMAN = {"title": "BESTELLUNG", "number": "Bestellnummer:", "date": "Datum:", "contact": "E-Mail:",
           "ship_to": "Lieferadresse:", "columns": ("EAN", "Bezeichnung", "Menge", "Einzelpreis", "Betrag"),
           "total": "Gesamtbetrag EUR"}  # fmt: skip


def write_sample_documents(conn: Connection, data_dir: Path, today: date) -> list[Path]:
    """The sample purchase orders, from the demo's latest B2B customer and a few of its products."""
    buyer = conn.execute(_BUYER).one_or_none()
    products = conn.execute(_PRODUCTS).all()
    if buyer is None or len(products) < 6:
        return []
    folder = data_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    english = [(p.sku, p.name, 12, p.unit_price) for p in products[:3]]
    german = [(p.barcode if i < 2 else "", p.name, 5, p.unit_price) for i, p in enumerate(products[3:])]
    written = []
    for name, words, lines, number, european in (("purchase-order-en.pdf", _ENGLISH, english, "PO-DEMO-1", False),
                                                 ("bestellung-de.pdf", _GERMAN, german, "PO-DEMO-2", True)):  # fmt: skip
        path = folder / name
        path.write_bytes(_purchase_order(words, buyer, lines, number, today, european))
        written.append(path)
    return written


def _amount(value: Decimal, european: bool) -> str:
    printed = f"{value:,.2f}"
    return printed.translate(str.maketrans(",.", ".,")) if european else printed


def _purchase_order(
    words: dict, buyer, lines: list[tuple], number: str, today: date, european: bool
) -> bytes:
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=A4, invariant=True)
    _, height = A4
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawString(40, height - 50, buyer.name)
    pdf.drawRightString(555, height - 50, words["title"])
    pdf.setFont("Helvetica", 9)
    printed_date = today.strftime("%d.%m.%Y" if european else "%Y-%m-%d")
    for i, (label, value) in enumerate(((words["number"], number), (words["date"], printed_date),
                                        (words["contact"], buyer.email))):  # fmt: skip
        pdf.drawString(340, height - 80 - 12 * i, label)
        pdf.drawString(420, height - 80 - 12 * i, value)
    ship_to = buyer.ship_to
    address = [
        ship_to["name"],
        ship_to["line1"],
        f"{ship_to['postal_code']} {ship_to['city']}",
        ship_to["country"],
    ]
    pdf.drawString(40, height - 130, words["ship_to"])
    for i, line in enumerate(address):
        pdf.drawString(40, height - 142 - 12 * i, line)
    columns = ((40, False), (130, False), (380, True), (460, True), (540, True))
    top = height - 220
    for (x, right), title in zip(columns, words["columns"], strict=True):
        (pdf.drawRightString if right else pdf.drawString)(x, top, title)
    total = Decimal(0)
    for row, (code, name, quantity, price) in enumerate(lines, start=1):
        amount = price * quantity
        total += amount
        cells = (code, name[:45], str(quantity), _amount(price, european), _amount(amount, european))
        for (x, right), cell in zip(columns, cells, strict=True):
            (pdf.drawRightString if right else pdf.drawString)(x, top - 16 * row, cell)
    pdf.drawString(380, top - 16 * (len(lines) + 2), words["total"])
    pdf.drawRightString(540, top - 16 * (len(lines) + 2), _amount(total, european))
    pdf.showPage()
    pdf.save()
    return out.getvalue()
