"""Delivery promise for a cart, and the promised dates of an order whose allocation is decided."""

from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from oms.domain.geo import Area, UnknownCountry, locate
from oms.domain.promise import SERVICE_LEVELS, Network, planned_dates
from oms.domain.promise import promise as promise_options
from oms.domain.promise_model import Cart, Destination, Option
from oms.services.actor import Actor, Permission
from oms.services.errors import FieldError, ValidationFailed
from oms.services.promise_data import fresh_reference, reference
from oms.services.promise_stock import CartStock, cached_cart_stock, cart_stock
from oms.services.promise_views import (
    DestinationPublic,
    PickupStorePublic,
    PromiseLinePublic,
    PromiseOptionPublic,
    PromiseRequest,
    PromiseResponse,
    ShipFromPublic,
)
from oms.services.uow import UnitOfWork

__all__ = ["PromiseRequest", "PromiseResponse", "promise", "promise_dates", "promise_from_cache"]


def promise(uow: UnitOfWork, actor: Actor, request: PromiseRequest) -> PromiseResponse:
    """The options for the cart, reading what is not cached."""
    return _promise(actor, request, uow)


def promise_from_cache(actor: Actor, request: PromiseRequest) -> PromiseResponse | None:
    """The options if everything they need is cached, else None; never touches the database, so a
    caller on an event loop may run it in place (it is a fraction of a millisecond of computation)."""
    return _promise(actor, request, None)


def _promise(actor: Actor, request: PromiseRequest, uow: UnitOfWork | None) -> PromiseResponse | None:
    actor.require(Permission.PROMISE)
    if request.channel is not None:
        actor.require_channel(request.channel)
    channel = request.channel or actor.channel_id  # a channel's own key sees its protected stock
    at = _aware(request.at or datetime.now(UTC))
    errors = _duplicate_skus(request)
    area = _area(request, errors)
    skus = [line.sku for line in request.lines]
    if uow is None:
        stock = cached_cart_stock(skus, channel)
        ref = fresh_reference(stock.stock.keys()) if stock is not None else None
        if stock is None or ref is None:
            return None
    else:
        stock = cart_stock(_reader(uow), skus, channel)
        ref = fresh_reference(stock.stock.keys())
        if ref is None:
            with _reader(uow)() as conn:
                ref = reference(conn, stock.stock.keys())
    errors += _unknown_references(request, stock)
    if errors:
        raise ValidationFailed(errors)
    destination = Destination(request.destination.country, area.point)
    cart = Cart({line.sku: line.quantity for line in request.lines}, destination, at)
    network = Network(ref.active, stock.stock, ref.transit)
    levels = [request.service_level] if request.service_level else SERVICE_LEVELS
    return PromiseResponse(
        at=at,
        destination=DestinationPublic(**request.destination.model_dump(), area=area.name),
        options=[_public(option) for option in promise_options(cart, network, levels)],
    )


def promise_dates(
    conn: Connection,
    shipments: dict[str, list[tuple[str, int]]],
    destination_postal: str,
    destination_country: str,
    service_level: str,
    at: datetime,
) -> tuple[date | None, date | None]:
    """(promised ship date, promised delivery date) of an allocation already decided, node id ->
    [(sku, quantity)]: the latest over its shipments; for pickup, the ready date at the store. The stock
    is reserved, so only calendars and transit count. Never raises on a destination: an unknown postal
    prefix falls back to the country; an unknown country, like no shipment, gives (None, None)."""
    if not shipments:
        return None, None
    try:
        area = locate(destination_country, destination_postal)
    except UnknownCountry:
        return None, None
    ref = reference(conn, shipments.keys())
    destination = Destination(destination_country.upper(), area.point)
    dates = [
        planned_dates(ref.nodes[node_id], _aware(at), destination, ref.transit, service_level)
        for node_id in shipments
        if node_id in ref.nodes
    ]
    if not dates:
        return None, None
    return max(ship for ship, _ in dates), max(delivery for _, delivery in dates)


def _reader(uow: UnitOfWork):
    """Opens a reading connection when entered: a promise served from cached stock needs none."""

    @contextmanager
    def connect():
        with uow.reading():
            yield uow.conn

    return connect


def _aware(at: datetime) -> datetime:
    """A naive time is taken as UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _duplicate_skus(request: PromiseRequest) -> list[FieldError]:
    seen: set[str] = set()
    errors = []
    for i, line in enumerate(request.lines):
        if line.sku in seen:
            errors.append(FieldError(("lines", i, "sku"), "this SKU is on an earlier line", "duplicate"))
        seen.add(line.sku)
    return errors


def _area(request: PromiseRequest, errors: list[FieldError]) -> Area | None:
    try:
        return locate(request.destination.country, request.destination.postal_code)
    except UnknownCountry as exc:
        errors.append(FieldError(("destination", "country"), str(exc), "unknown"))
        return None


def _unknown_references(request: PromiseRequest, stock: CartStock) -> list[FieldError]:
    errors = [
        FieldError(("lines", i, "sku"), f"unknown SKU '{line.sku}'", "unknown")
        for i, line in enumerate(request.lines)
        if line.sku not in stock.known_skus
    ]
    if request.channel is not None and not stock.channel_exists:
        errors.append(FieldError(("channel",), f"unknown channel '{request.channel}'", "unknown"))
    return errors


def _public(option: Option) -> PromiseOptionPublic:
    ship_from = [
        ShipFromPublic(
            node_id=s.node_id,
            lines=[PromiseLinePublic(sku=sku, quantity=qty) for sku, qty in s.lines],
            ship_date=s.ship_date,
            carrier=s.carrier,
            delivery_date=s.delivery_date,
        )
        for s in option.shipments
    ]
    store = option.store
    return PromiseOptionPublic(
        service_level=option.service_level,
        available=option.available,
        reason=option.reason,
        ship_from=ship_from,
        carrier=option.carrier,
        delivery_date=option.delivery_date,
        ready_date=option.ready_date,
        store=PickupStorePublic.model_validate(store, from_attributes=True) if store else None,
    )
