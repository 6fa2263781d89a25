from typing import Annotated

from fastapi import APIRouter, Path, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.paging import Cursor, Limit
from oms.api.problems import problem_responses
from oms.services.catalog import (
    ProductBody,
    ProductPage,
    ProductPublic,
    ProductUpsert,
    get_product,
    list_products,
    put_product,
)
from oms.services.fields import Sku
from oms.services.pagination import DEFAULT_LIMIT

router = APIRouter(prefix="/products", tags=["catalog"])
ERRORS = problem_responses(404, 422)


@router.get("", responses=ERRORS)
def search_products(
    actor: ActorDep,
    uow: UowDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    q: Annotated[str | None, Query(max_length=100, description="Part of the SKU or name")] = None,
) -> ProductPage:
    """Products in SKU order; pass `next_cursor` back as `cursor` for the next page."""
    return list_products(uow, actor, limit, cursor, q)


@router.get("/{sku}", responses=ERRORS)
def read_product(sku: str, actor: ActorDep, uow: UowDep) -> ProductPublic:
    return get_product(uow, actor, sku)


@router.put("/{sku}", responses=ERRORS)
def write_product(
    sku: Annotated[Sku, Path()], body: ProductBody, actor: ActorDep, uow: UowDep
) -> ProductPublic:
    """Create the product or replace all its fields."""
    return put_product(uow, actor, ProductUpsert(sku=sku, **body.model_dump()))
