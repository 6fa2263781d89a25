"""What a Shopify update, cancellation or refund changes on an order the OMS holds.

Shopify sends the whole order with every update (a tag added, an address corrected, units removed, a
payment captured), so an update applies the difference between two of Shopify's states: the last one
applied (the baseline) and the new one. What Shopify did not change stays as the OMS has it: a line a
desk cancelled is not brought back because Shopify added a tag. A difference sets the OMS's value to
Shopify's new one, never adds to it, so a change applied twice changes nothing the second time.
Changes apply before release (as edits, holds and cancellations); after, they are recorded only.
"""

from collections import Counter
from dataclasses import dataclass, field

from oms.channels.shopify.resources import ShopifyRefund
from oms.domain.order_status import ALLOWED_FROM, HoldType, LineStatus, OrderStatus
from oms.services.order_models import Address, LineIn, LineQuantity, OrderCreate, OrderEdit, OrderPublic

CANCEL_RESTOCK = "cancel"  # a refund's units that were never fulfilled and are not to be


@dataclass(frozen=True, slots=True)
class OrderState:
    """An order as Shopify sees it, in the OMS's terms: lines by SKU, with their open quantities."""

    ship_to: Address | None
    lines: dict[str, LineIn]
    held: bool  # on a payment-review hold
    cancelled: bool

    @classmethod
    def of_command(cls, command: OrderCreate | None, cancelled: bool) -> "OrderState":
        if command is None:  # nothing left to ship
            return cls(None, {}, False, cancelled)
        return cls(command.ship_to, {line.sku: line for line in command.lines}, command.hold is not None, cancelled)

    @classmethod
    def of_order(cls, order: OrderPublic) -> "OrderState":
        """The OMS's own view, the baseline when no state Shopify sent is known."""
        lines = {line.sku: LineIn(sku=line.sku, quantity=line.quantity, unit_price=line.unit_price,
                                  external_line_id=line.external_line_id)
                 for line in order.lines if line.status != LineStatus.CANCELLED}  # fmt: skip
        return cls(Address.model_validate(order.ship_to), lines, order.hold_type == HoldType.PAYMENT_REVIEW,
                   order.status == OrderStatus.CANCELLED)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Plan:
    """The actions to take on the order, with what they change and what could not be applied, in words."""

    edit: OrderEdit | None = None
    hold: bool | None = None  # True: put on a payment-review hold; False: lift it
    cancel: bool = False
    changes: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)


def plan_update(before: OrderState, after: OrderState, order: OrderPublic) -> Plan:
    if after.cancelled:
        return plan_cancel(order)
    changes, edit = _edit(before, after, order)
    hold = _hold(before, after, order)
    if hold is not None:
        changes.append("payment-review hold " + ("placed" if hold else "lifted"))
    if changes and order.status not in ALLOWED_FROM["edit"]:
        return Plan(not_applied=[f"the order is {order.status}: {'; '.join(changes)}"])
    return Plan(edit=edit, hold=hold, changes=changes)


def plan_cancel(order: OrderPublic) -> Plan:
    if order.status == OrderStatus.CANCELLED:
        return Plan()  # cancelled already: a cancellation is applied once, whichever message brings it
    if order.status in ALLOWED_FROM["cancel"]:
        return Plan(cancel=True, changes=["cancelled"])
    return Plan(not_applied=[f"the order is {order.status}: not cancelled, what was released is with its nodes"])


def plan_refund(refund: ShopifyRefund, order: OrderPublic) -> Plan:
    """Units refunded with restock type `cancel` are cancelled on open lines; other refunds (of units
    shipped or kept) are the payment's business and recorded only."""
    live = [line for line in order.lines if line.status != LineStatus.CANCELLED]
    by_item = {item: line for line in live for item in (line.external_line_id or "").split(",") if item}
    cancelled: Counter = Counter()
    not_applied = []
    for item in refund.refund_line_items:
        line = by_item.get(str(item.line_item_id))
        if item.restock_type != CANCEL_RESTOCK:
            not_applied.append(f"line item {item.line_item_id} x{item.quantity}: restock type {item.restock_type},"
                               " recorded only")  # fmt: skip
        elif line is None:
            not_applied.append(f"line item {item.line_item_id} x{item.quantity}: no open line of this order")
        else:
            cancelled[line.sku] += item.quantity
    if cancelled and order.status not in ALLOWED_FROM["edit"]:
        units = ", ".join(f"{sku} x{n}" for sku, n in sorted(cancelled.items()))
        return Plan(not_applied=[*not_applied, f"the order is {order.status}: {units} not cancelled"])
    before = OrderState.of_order(order)
    after_lines = {sku: line.model_copy(update={"quantity": line.quantity - cancelled[sku]})
                   for sku, line in before.lines.items() if line.quantity > cancelled[sku]}  # fmt: skip
    changes, edit = _edit(before, OrderState(before.ship_to, after_lines, before.held, False), order)
    return Plan(edit=edit, changes=changes, not_applied=not_applied)


def _edit(before: OrderState, after: OrderState, order: OrderPublic) -> tuple[list[str], OrderEdit | None]:
    live = {line.sku: line for line in order.lines if line.status != LineStatus.CANCELLED}
    changes: list[str] = []
    ship_to = None
    if after.ship_to not in (None, before.ship_to) and after.ship_to != Address.model_validate(order.ship_to):
        ship_to = after.ship_to
        changes.append("shipping address changed")
    quantities, added, removed = [], [], []
    for sku in sorted(before.lines.keys() | after.lines.keys()):
        was, now = _quantity(before, sku), _quantity(after, sku)
        line = live.get(sku)
        if was == now or (line is None and now == 0) or (line is not None and line.quantity == now):
            continue  # Shopify did not change it, or the OMS has it already
        if line is None:
            added.append(after.lines[sku])
            changes.append(f"{sku} x{now} added")
        elif now == 0:
            removed.append(line.line_no)
            changes.append(f"{sku} cancelled")
        else:
            quantities.append(LineQuantity(line_no=line.line_no, quantity=now))
            changes.append(f"{sku} {line.quantity} -> {now}")
    if not (ship_to or quantities or added or removed):
        return changes, None
    return changes, OrderEdit(expected_version=order.version, ship_to=ship_to, set_quantities=quantities,
                              add_lines=added, remove_lines=removed)  # fmt: skip


def _quantity(state: OrderState, sku: str) -> int:
    line = state.lines.get(sku)
    return line.quantity if line else 0


def _hold(before: OrderState, after: OrderState, order: OrderPublic) -> bool | None:
    """Place a payment-review hold when Shopify's payment became unsecured, lift it when it became
    secured; a hold of another kind is the desk's and stays."""
    if after.held == before.held:
        return None
    if after.held and order.hold_type is None:
        return True
    if not after.held and order.hold_type == HoldType.PAYMENT_REVIEW:
        return False
    return None
