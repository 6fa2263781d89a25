"""The product catalog: validated upserts (one statement per batch), keyset-paginated listing, lookup."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError
from sqlalchemy import Connection, or_, select
from sqlalchemy.exc import IntegrityError

from oms.db.tables import products
from oms.domain.gtin import GTIN_LENGTHS, is_valid_gtin
from oms.services.actor import Actor, Permission
from oms.services.bulk import Progress, duplicate_errors, upsert_audited, without_index
from oms.services.errors import Conflict, FieldError, NotFound, ValidationFailed
from oms.services.fields import AsNumber, Sku, Text, matching
from oms.services.order_entry_embeddings import write_product_embeddings
from oms.services.pagination import DEFAULT_LIMIT, Page, fetch_page
from oms.services.uow import UnitOfWork

BARCODE_KEY = "uq_products_barcode"


def _gtin(code: str) -> str:
    if not is_valid_gtin(code):
        raise PydanticCustomError(
            "barcode",
            "not a GTIN: {lengths} digits whose last digit is the GS1 check digit",
            {"lengths": "/".join(map(str, GTIN_LENGTHS))},
        )
    return code


Barcode = Annotated[str, AfterValidator(_gtin)]
Currency = Annotated[str, matching(r"[A-Z]{3}", "currency", "an ISO 4217 code: 3 uppercase letters")]


class ProductBody(BaseModel):
    """A product as PUT /products/{sku} takes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Text
    description: str = Field(default="", max_length=5000)
    unit_price: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2), AsNumber]
    currency: Currency
    barcode: Barcode | None = Field(default=None, description="EAN-8, UPC-A, EAN-13 or GTIN-14")
    weight_kg: Annotated[Decimal, Field(ge=0, max_digits=10, decimal_places=3), AsNumber] = Decimal(0)
    active: bool = True
    final_sale: bool = Field(default=False, description="Never returned, unless the item is at fault")


class ProductUpsert(ProductBody):
    sku: Sku


class ProductPublic(BaseModel):
    """A product as stored. Plain types: a view never re-applies input rules to stored data."""

    sku: str
    name: str
    description: str
    unit_price: Annotated[Decimal, AsNumber]
    currency: str
    barcode: str | None
    weight_kg: Annotated[Decimal, AsNumber]
    active: bool
    final_sale: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ProductPage(Page[ProductPublic]):
    """Products in SKU order."""


def upsert_products(
    uow: UnitOfWork, actor: Actor, items: list[ProductUpsert], progress: Progress | None = None
) -> int:
    """Create or replace products by SKU, all or none; returns how many were created or changed.
    Refused with field paths `(index, field)` for repeated SKUs or barcodes, or a barcode of another SKU."""
    actor.require(Permission.CATALOG_WRITE)
    with uow:
        if errors := _conflicts(uow.conn, items):
            raise ValidationFailed(errors)
        count = _write(uow, actor, items, progress)
        uow.commit()
    return count


def put_product(uow: UnitOfWork, actor: Actor, item: ProductUpsert) -> ProductPublic:
    """Create or replace one product and answer it as stored."""
    actor.require(Permission.CATALOG_WRITE)
    with uow:
        if errors := _conflicts(uow.conn, [item]):
            raise ValidationFailed(without_index(errors))
        _write(uow, actor, [item], None)
        view = _load(uow.conn, item.sku)
        uow.commit()
    return view


def get_product(uow: UnitOfWork, actor: Actor, sku: str) -> ProductPublic:
    actor.require(Permission.CATALOG_READ)
    with uow.reading():
        return _load(uow.conn, sku)


def list_products(
    uow: UnitOfWork, actor: Actor, limit: int = DEFAULT_LIMIT, cursor: str | None = None, q: str | None = None
) -> ProductPage:
    """Products in SKU order; `q` keeps those whose SKU or name contains it, ignoring case."""
    actor.require(Permission.CATALOG_READ)
    query = select(products)
    if q:
        query = query.where(
            or_(products.c.sku.icontains(q, autoescape=True), products.c.name.icontains(q, autoescape=True))
        )
    with uow.reading():
        return fetch_page(uow.conn, query, [products.c.sku], limit, cursor, ProductPage, _public)


def _write(uow: UnitOfWork, actor: Actor, items: list[ProductUpsert], progress: Progress | None) -> int:
    rows = [item.model_dump() for item in items]
    try:
        changed = upsert_audited(uow, actor, products, rows, "product", progress=progress,
                                 publish="product.updated")
    except IntegrityError as exc:
        # `_conflicts` checked the barcodes, but a concurrent command may have taken one since.
        if getattr(exc.orig.diag, "constraint_name", None) == BARCODE_KEY:
            raise Conflict("a barcode of these products was just given to another SKU; check and retry") from exc
        raise
    write_product_embeddings(uow.conn, [(item.sku, item.name, item.description) for item in items])
    return changed


def _conflicts(conn: Connection, items: list[ProductUpsert]) -> list[FieldError]:
    return (
        duplicate_errors([i.sku for i in items], "sku", "SKU")
        + duplicate_errors([i.barcode for i in items], "barcode", "barcode")
        + _barcodes_of_other_skus(conn, items)
    )


def _barcodes_of_other_skus(conn: Connection, items: list[ProductUpsert]) -> list[FieldError]:
    codes = [i.barcode for i in items if i.barcode]
    query = select(products.c.barcode, products.c.sku).where(products.c.barcode.in_(codes))
    owners = dict(conn.execute(query).all())
    return [
        FieldError((index, "barcode"), f"already the barcode of SKU '{owners[i.barcode]}'", "taken")
        for index, i in enumerate(items)
        if owners.get(i.barcode, i.sku) != i.sku
    ]


def _load(conn: Connection, sku: str) -> ProductPublic:
    row = conn.execute(select(products).where(products.c.sku == sku)).first()
    if row is None:
        raise NotFound(f"unknown SKU '{sku}'")
    return _public(row)


def _public(row) -> ProductPublic:
    return ProductPublic.model_validate(row._mapping)
