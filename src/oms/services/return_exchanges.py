"""Exchanges: the replacement order of a return, captured like any order (same channel, customer and
address, reserving stock through oms.services.order_capture), with an external id derived from the RMA.

The returned units pay for it, so it may be worth no more than they were paid (no payment gateway could
collect a difference); what they were worth beyond it is refunded as they are inspected (see
oms.domain.refunds). It is captured as soon as the return is authorised, so the replacement is
reserved while the customer sends the return back.
"""

from decimal import Decimal

from sqlalchemy import Connection, Engine, Row, text

from oms.services.actor import Actor
from oms.services.errors import FieldError
from oms.services.order_capture import capture_order
from oms.services.order_models import Address, CustomerIn, LineIn, OrderCreate, OrderPublic
from oms.services.return_models import ReturnCreate, ReturnPublic
from oms.services.uow import UnitOfWork

_PRODUCTS = text("SELECT sku, unit_price, currency FROM products WHERE sku = ANY(:skus) AND active")


def priced_exchange(conn: Connection, cmd: ReturnCreate, currency: str,
                    returned_value: Decimal) -> tuple[list[dict] | None, list[FieldError]]:
    """The exchange lines with their prices (catalogue price unless given), or why they are refused."""
    if not cmd.exchange_lines:
        return None, []
    catalogue = {r.sku: r for r in conn.execute(_PRODUCTS, {"skus": [x.sku for x in cmd.exchange_lines]})}
    errors, lines, seen = [], [], set()
    for index, line in enumerate(cmd.exchange_lines):
        product = catalogue.get(line.sku)
        if line.sku in seen:  # an order has one line per SKU: its capture would fail after the RMA is stored
            errors.append(FieldError(("exchange_lines", index, "sku"), f"{line.sku} is listed twice", "repeated"))
        elif product is None:
            errors.append(FieldError(("exchange_lines", index, "sku"), f"unknown or inactive SKU '{line.sku}'",
                                     "unknown_sku"))  # fmt: skip
        elif line.unit_price is None and product.currency != currency:
            errors.append(FieldError(("exchange_lines", index, "unit_price"),
                                     f"the catalogue prices {line.sku} in {product.currency}, the order is in "
                                     f"{currency}: give the price", "missing"))  # fmt: skip
        else:
            price = product.unit_price if line.unit_price is None else line.unit_price
            lines.append({"sku": line.sku, "quantity": line.quantity, "unit_price": price})
        seen.add(line.sku)
    worth = sum((x["unit_price"] * x["quantity"] for x in lines), Decimal(0))
    if not errors and worth > returned_value:
        errors.append(FieldError(("exchange_lines",), f"the replacement is worth {worth} {currency}, more than the "
                                 f"{returned_value} {currency} the returned units were paid", "worth_more"))  # fmt: skip
    return lines, errors


def capture_exchange(engine: Engine, actor: Actor, ret: ReturnPublic, order: Row) -> OrderPublic:
    """Capture the replacement order of `ret` (idempotent on its external id, like any capture)."""
    ship_to = Address.model_validate(order.ship_to)
    cmd = OrderCreate(
        channel=order.channel_id,
        external_id=f"{ret.rma_number}-EX",
        customer=CustomerIn(name=order.customer_name, email=order.customer_email, phone=order.customer_phone),
        ship_to=ship_to,
        service_level=order.service_level,
        pickup_node_id=order.pickup_node_id,
        currency=order.currency,
        lines=[LineIn(**line) for line in ret.exchange_lines or []],
        notes=f"Exchange for {ret.rma_number} of order {ret.order_id}: paid by the returned units",
    )
    exchange, _ = capture_order(UnitOfWork(engine), actor, cmd)
    return exchange
