"""Turning the catalogue families into sellable products (SKU, name, price, weight, EAN-13)."""

from dataclasses import dataclass
from decimal import Decimal

from oms.domain.gtin import check_digit
from oms.services.demo.catalog import COLOURS, FAMILIES, SIZES, Family
from oms.services.demo.returns import FINAL_SALE_FAMILIES

# GS1 France prefix (37) and a made-up company number: every barcode is well-formed, none is real.
_COMPANY_PREFIX = "376012"

# Demand by calendar month for each family season (index 0 is January).
_SEASON_BY_MONTH = {
    "summer": (0.5, 0.6, 0.9, 1.2, 1.4, 1.6, 1.6, 1.3, 0.9, 0.6, 0.5, 0.5),
    "winter": (1.6, 1.2, 0.8, 0.5, 0.4, 0.3, 0.3, 0.4, 0.8, 1.3, 1.7, 1.9),
    "school": (0.8, 0.8, 0.9, 0.9, 0.8, 0.8, 1.0, 2.2, 2.0, 1.3, 1.0, 1.0),
    "all": (1.0,) * 12,
}


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    family: str
    name: str
    description: str
    price: Decimal
    barcode: str
    weight_kg: Decimal
    popularity: float
    season: str

    def demand_in(self, month: int) -> float:
        return self.popularity * _SEASON_BY_MONTH[self.season][month - 1]


def ean13(body12: str) -> str:
    return body12 + str(check_digit(body12))


def _family_products(family: Family, first_item: int) -> list[Product]:
    products = []
    for c_rank, colour in enumerate(family.colours):
        for size, (label, weight_factor, supplement, size_pop) in SIZES[family.sizes].items():
            item = first_item + len(products)
            products.append(
                Product(
                    sku=f"{family.code}-{colour}-{size}",
                    family=family.code,
                    name=f"{family.model} – {COLOURS[colour]}, {label}",
                    description=f"{family.blurb} Colour: {COLOURS[colour].lower()}. Size: {label}.",
                    price=Decimal(family.price) + supplement,
                    barcode=ean13(f"{_COMPANY_PREFIX}{item:06d}"),
                    weight_kg=Decimal(str(round(family.weight_kg * weight_factor, 3))),
                    # The first colours of a family are its best sellers.
                    popularity=family.popularity * size_pop / (c_rank + 1) ** 0.6,
                    season=family.season,
                )
            )
    return products


def build_products() -> list[Product]:
    products: list[Product] = []
    for index, family in enumerate(FAMILIES):
        products += _family_products(family, first_item=(index + 1) * 1000)
    return products


PRODUCT_COLUMNS = ("sku", "name", "description", "unit_price", "currency", "barcode", "weight_kg", "final_sale")


def product_rows(products: list[Product]) -> list[tuple]:
    return [(p.sku, p.name, p.description, p.price, "EUR", p.barcode, p.weight_kg, p.family in FINAL_SALE_FAMILIES)
            for p in products]
