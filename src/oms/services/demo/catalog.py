"""The catalogue of an apparel and outdoor retailer: product families x colours x sizes, about 400 SKUs
coded FAMILY-COLOUR-SIZE (TSH-BLU-L), with EUR prices, shipping weights and valid EAN-13 barcodes.

Popularity (family x colour x size) drives both the order history and the stock depth, so fast movers
sell fast and are stocked deep; `season` makes summer and winter lines sell in their months.
"""

from dataclasses import dataclass

COLOURS = {
    "BLK": "Black", "BLU": "Blue", "NAV": "Navy", "GRY": "Grey", "WHT": "White", "GRN": "Forest green",
    "RED": "Red", "OLV": "Olive", "SND": "Sand", "ORG": "Orange", "YEL": "Yellow", "BRN": "Brown",
}

# size code -> (label, weight factor, price supplement, popularity)
_APPAREL = {"XS": ("XS", 0.85, 0, 0.5), "S": ("S", 0.92, 0, 0.9), "M": ("M", 1.0, 0, 1.4),
            "L": ("L", 1.08, 0, 1.4), "XL": ("XL", 1.15, 0, 0.9), "XXL": ("XXL", 1.22, 0, 0.45)}
SIZES = {
    "apparel": _APPAREL,
    "gloves": {k: _APPAREL[k] for k in ("S", "M", "L", "XL")},
    "shoes": {str(s): (f"EU {s}", 0.85 + (s - 38) * 0.04, 0, p)
              for s, p in zip(range(38, 47), (0.4, 0.6, 0.9, 1.1, 1.2, 1.1, 0.9, 0.6, 0.35))},
    "kids": {f"{a}A": (f"{a} years", 0.7 + a * 0.04, 0, 1.0) for a in (4, 6, 8, 10, 12, 14)},
    "socks": {"S": ("35-38", 0.9, 0, 0.8), "M": ("39-42", 1.0, 0, 1.2), "L": ("43-46", 1.1, 0, 1.0)},
    "one": {"OS": ("one size", 1.0, 0, 1.0)},
    "pack": {"20L": ("20 L", 0.8, 0, 1.0), "30L": ("30 L", 1.0, 15, 1.2), "45L": ("45 L", 1.4, 40, 0.6)},
    "tent": {"2P": ("2 persons", 1.0, 0, 1.0), "3P": ("3 persons", 1.3, 70, 0.6)},
    "bag": {"REG": ("regular", 1.0, 0, 1.0), "LNG": ("long", 1.1, 15, 0.4)},
    "bottle": {"500": ("0.5 L", 0.8, 0, 0.8), "750": ("0.75 L", 1.0, 3, 1.2), "1000": ("1 L", 1.25, 6, 0.7)},
}


@dataclass(frozen=True, slots=True)
class Family:
    code: str
    model: str
    price: str
    weight_kg: float
    sizes: str
    colours: tuple[str, ...]
    popularity: float
    season: str  # summer, winter, school or all
    blurb: str


FAMILIES = (
    Family("TSH", "Organic Cotton Tee", "24.90", 0.18, "apparel", ("BLU", "NAV", "WHT", "BLK", "GRN", "RED"),
           9, "summer", "Soft organic cotton T-shirt with a relaxed fit, for travel days and city walks."),
    Family("MRT", "Merino 150 Tee", "59.90", 0.15, "apparel", ("BLK", "GRY", "NAV", "ORG"), 4, "all",
           "Lightweight 150 g/m² merino wool T-shirt: breathable, odour-resistant, warm when wet."),
    Family("POL", "Travel Polo", "39.90", 0.22, "apparel", ("NAV", "WHT", "SND"), 3, "summer",
           "Quick-drying piqué polo with UPF 30 sun protection and a hidden zip pocket."),
    Family("SWT", "Logo Hoodie", "59.90", 0.55, "apparel", ("GRY", "NAV", "GRN"), 4, "all",
           "Brushed-back cotton hoodie with a kangaroo pocket and the embroidered mountain logo."),
    Family("FLC", "Grid Fleece Jacket", "69.90", 0.42, "apparel", ("BLK", "NAV", "GRN", "RED"), 5, "winter",
           "Grid fleece mid-layer that traps heat and vents sweat, with a full zip and chin guard."),
    Family("VST", "Packable Down Vest", "89.00", 0.25, "apparel", ("BLK", "NAV"), 2, "winter",
           "600-fill responsibly sourced down vest that packs into its own pocket."),
    Family("SFT", "Ridge Softshell Jacket", "119.00", 0.55, "apparel", ("BLK", "BLU", "OLV"), 3, "all",
           "Stretch softshell that blocks wind and light rain, with a helmet-compatible hood."),
    Family("JKT", "Stormline 2.5L Rain Jacket", "149.00", 0.38, "apparel", ("RED", "BLU", "YEL", "BLK"), 6,
           "all", "Waterproof and breathable 2.5-layer shell, 20,000 mm rated, fully taped seams."),
    Family("DWN", "Alpine Down Jacket", "219.00", 0.48, "apparel", ("BLK", "NAV", "ORG"), 4, "winter",
           "Warm 700-fill down jacket with a water-repellent face fabric for cold alpine days."),
    Family("PNT", "Trek Convertible Trousers", "79.90", 0.45, "apparel", ("SND", "OLV", "GRY", "BLK"), 5,
           "summer", "Zip-off hiking trousers in stretch nylon, with articulated knees and UPF 50."),
    Family("SHO", "Trail Shorts", "39.90", 0.20, "apparel", ("BLK", "NAV", "SND"), 4, "summer",
           "Light trail shorts with a built-in brief and a zip pocket for keys."),
    Family("LEG", "Thermal Base Layer Leggings", "44.90", 0.17, "apparel", ("BLK", "GRY"), 2, "winter",
           "Merino-blend base layer leggings for ski touring and winter hikes."),
    Family("KID", "Kids Puddle Rain Jacket", "59.90", 0.30, "kids", ("YEL", "RED", "BLU"), 4, "school",
           "Waterproof kids' jacket with reflective details and a roll-away hood."),
    Family("SCK", "Hiking Socks 2-pack", "16.90", 0.12, "socks", ("GRY", "NAV", "GRN"), 7, "all",
           "Cushioned merino hiking socks, two pairs, with a seamless toe."),
    Family("BNI", "Merino Beanie", "24.90", 0.07, "one", ("BLK", "GRY", "RED", "NAV", "ORG"), 3, "winter",
           "Double-layer merino beanie, warm and itch-free."),
    Family("CAP", "Trucker Cap", "22.90", 0.09, "one", ("BLK", "NAV", "SND", "OLV"), 2, "summer",
           "Mesh-back trucker cap with an adjustable snap closure."),
    Family("GLV", "Touchscreen Gloves", "29.90", 0.08, "gloves", ("BLK", "GRY"), 2, "winter",
           "Stretch fleece gloves with touchscreen-compatible fingertips."),
    Family("BOT", "Ridge Mid GTX Hiking Boots", "159.00", 1.25, "shoes", ("BRN", "BLK", "GRY"), 4, "all",
           "Waterproof mid-cut hiking boots with a Gore-Tex membrane and a grippy lugged sole."),
    Family("TRS", "Trail Runner Shoes", "129.00", 0.62, "shoes", ("BLU", "ORG", "BLK"), 4, "all",
           "Cushioned trail running shoes with a rock plate and 4 mm drop."),
    Family("SDL", "Outdoor Sandals", "59.90", 0.55, "shoes", ("BLK", "SND"), 2, "summer",
           "Adjustable hiking sandals with a quick-drying footbed."),
    Family("BPK", "Summit Daypack", "79.90", 0.90, "pack", ("BLK", "RED", "BLU", "GRN"), 3, "all",
           "Ventilated back panel, rain cover and hydration sleeve."),
    Family("TNT", "Trekking Tent", "249.00", 2.40, "tent", ("GRN", "ORG"), 1, "summer",
           "Freestanding three-season tent with two doors and a 3,000 mm flysheet."),
    Family("SLB", "Down Sleeping Bag -5°C", "189.00", 1.10, "bag", ("RED", "BLU"), 1, "all",
           "Mummy sleeping bag with a -5 °C comfort limit and a compression sack."),
    Family("BTL", "Insulated Steel Bottle", "29.90", 0.35, "bottle", ("BLU", "BLK", "GRN", "WHT"), 3, "all",
           "Double-wall stainless steel bottle: 24 h cold, 12 h hot."),
    Family("PLS", "Carbon Trekking Poles", "89.00", 0.45, "one", ("BLK",), 1, "all",
           "Pair of three-section carbon poles with cork grips and flick locks."),
    Family("HLM", "Headlamp 400", "44.90", 0.09, "one", ("BLK", "ORG"), 2, "winter",
           "Rechargeable 400-lumen headlamp with a red night-vision mode."),
)
