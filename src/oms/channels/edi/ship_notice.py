"""The 856 ship notice (ASN) of one shipment of an 850's order, in the Shipment / Order / Item hierarchy
(BSN05 0004): HL S with its cartons and weight (TD1), carrier (TD5), tracking numbers (REF*CN) and the
ship-from and ship-to parties (N1 SF, ST); HL O with the purchase order (PRF); an HL I per line shipped
with the buyer's line id and our SKU (LIN) and the units shipped (SN1).
"""

import datetime as dt
from dataclasses import dataclass

from oms.channels.edi.purchase_order import PoLine, PurchaseOrder
from oms.channels.edi.writer import x12_date


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    line1: str
    line2: str | None
    city: str
    postal_code: str
    country: str
    code: tuple[str, str] | None = None  # N103, N104: how the buyer names it


@dataclass(frozen=True, slots=True)
class ShippedLine:
    # The PO1 it ships (its line id, unit and the buyer's product ids); None for a line added to the order
    # after its 850 (an edit), which the buyer never numbered.
    line: PoLine | None
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Shipment:
    id: int
    shipped_at: dt.datetime
    carrier: str
    tracking_numbers: tuple[str, ...]  # the main one first
    cartons: int
    weight_kg: float
    ship_from: Place
    ship_to: Place
    lines: tuple[ShippedLine, ...]


def ship_notice(po: PurchaseOrder, shipment: Shipment) -> list[list[str]]:
    """The segments of the 856 between ST and SE."""
    at = shipment.shipped_at.astimezone(dt.UTC)
    segments = [
        ["BSN", "00", str(shipment.id), at.strftime("%Y%m%d"), at.strftime("%H%M"), "0004"],
        ["DTM", "011", at.strftime("%Y%m%d"), at.strftime("%H%M"), "UT"],
        ["HL", "1", "", "S"],
        ["TD1", "CTN", str(shipment.cartons), "", "", "", "G", f"{shipment.weight_kg:.3f}", "KG"],
        ["TD5", "", "2", shipment.carrier],
        *(["REF", "CN", number] for number in shipment.tracking_numbers),
        *_party("SF", shipment.ship_from),
        *_party("ST", shipment.ship_to),
        ["HL", "2", "1", "O"],
        ["PRF", po.number, "", "", x12_date(po.date)],
    ]
    for index, shipped in enumerate(shipment.lines, start=3):
        ordered = shipped.line
        identifiers = [value for pair in ordered.product_ids if pair[1] != shipped.sku for value in pair] if ordered else []
        segments += [
            ["HL", str(index), "2", "I"],
            ["LIN", ordered.line_id if ordered else "", "VP", shipped.sku, *identifiers],
            ["SN1", "", str(shipped.quantity), ordered.unit if ordered else "EA"],
        ]
    segments.append(["CTT", str(2 + len(shipment.lines))])  # the HL segments
    return segments


def _party(role: str, place: Place) -> list[list[str]]:
    """N1, N3, N4, each value cut to its element's maximum length in X12."""
    return [
        ["N1", role, place.name[:60], *(place.code or ())],
        ["N3", place.line1[:55], (place.line2 or "")[:55]],
        ["N4", place.city[:30], "", place.postal_code[:15], place.country],
    ]
