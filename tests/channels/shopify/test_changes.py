"""What an update, a cancellation or a refund from Shopify changes on the OMS's order (no database)."""

import datetime as dt

import orjson

from oms.channels.shopify.changes import OrderState, plan_cancel, plan_refund, plan_update
from oms.channels.shopify.mapping import map_order
from oms.channels.shopify.resources import ShopifyOrder, ShopifyRefund, read
from oms.channels.shopify.settings import ShopifySettings
from oms.services.order_models import LineQuantity, OrderPublic
from tests.channels.shopify.shop import SHOP, sample

SETTINGS = ShopifySettings(shop_domain=SHOP)


def state(document: dict) -> OrderState:
    order = read(ShopifyOrder, orjson.dumps(document))
    return OrderState.of_command(map_order(order, "web", SETTINGS, {}).command, order.cancelled_at is not None)


def captured(document: dict, status: str = "allocated", hold_type: str | None = None) -> OrderPublic:
    """The order as the OMS would hold it just after capturing `document`."""
    return order_view(state(document), status, hold_type)


def order_view(shopify: OrderState, status: str = "allocated", hold_type: str | None = None,
               cancelled: tuple[str, ...] = ()) -> OrderPublic:  # fmt: skip
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    lines = [{"line_no": no, "sku": line.sku, "quantity": line.quantity, "unit_price": line.unit_price,
              "status": "cancelled" if line.sku in cancelled else "allocated", "allocated_quantity": line.quantity,
              "backordered_quantity": 0, "allocations": [], "external_line_id": line.external_line_id}
             for no, line in enumerate(shopify.lines.values(), start=1)]  # fmt: skip
    return OrderPublic.model_validate({
        "id": 7, "channel": "web", "external_id": "5820154839122", "status": status, "hold_type": hold_type,
        "hold_reason": None, "customer": {"id": 1, "name": "Camille Martin", "email": "c@example.fr"},
        "ship_to": shopify.ship_to.model_dump(), "service_level": "express", "currency": "EUR",
        "total_amount": 0, "promised_ship_date": None, "promised_delivery_date": None, "notes": None, "version": 3,
        "created_at": now, "updated_at": now, "lines": lines,
        "source": {"source": "shopify", "payload_id": 1, "reference": None}})  # fmt: skip


def line_of(order: OrderPublic, sku: str):
    return next(line for line in order.lines if line.sku == sku)


def test_an_order_edit_in_shopify_changes_the_address_and_the_quantity_it_changed():
    before, after = sample("orders_create"), sample("orders_updated")
    plan = plan_update(state(before), state(after), captured(before))

    assert plan.edit.ship_to.line1 == after["shipping_address"]["address1"]
    shirt = after["line_items"][0]
    line_no = line_of(captured(before), shirt["sku"]).line_no
    assert plan.edit.set_quantities == [LineQuantity(line_no=line_no, quantity=shirt["fulfillable_quantity"])]
    assert plan.edit.expected_version == 3 and not plan.edit.add_lines and not plan.edit.remove_lines
    assert plan.hold is None and not plan.cancel and not plan.not_applied


def test_an_update_applied_already_changes_nothing():
    before, after = state(sample("orders_create")), state(sample("orders_updated"))
    assert plan_update(before, after, order_view(after)).edit is None


def test_what_shopify_did_not_change_stays_as_the_oms_has_it():
    document = sample("orders_create")
    tagged = document | {"tags": "VIP, gift-wrap, late", "updated_at": "2026-11-20T11:00:00+01:00"}
    cancelled_by_the_desk = order_view(state(document), cancelled=("JKT-RED-M",))
    plan = plan_update(state(document), state(tagged), cancelled_by_the_desk)
    assert plan.edit is None and plan.changes == []


def test_line_items_removed_and_added_in_shopify_cancel_and_add_lines():
    before = sample("orders_create")
    after = sample("orders_create")
    jacket = after["line_items"][1]
    jacket |= {"current_quantity": 0, "fulfillable_quantity": 0}
    after["line_items"].append(jacket | {"id": 14710183699999, "sku": "TSH-BLU-M", "current_quantity": 3,
                                         "fulfillable_quantity": 3, "quantity": 3})  # fmt: skip
    plan = plan_update(state(before), state(after), captured(before))

    assert plan.edit.remove_lines == [line_of(captured(before), jacket["sku"]).line_no]
    assert [(line.sku, line.quantity, line.external_line_id) for line in plan.edit.add_lines] == [
        ("TSH-BLU-M", 3, "14710183699999")]


def test_changes_after_release_are_recorded_not_applied():
    before, after = sample("orders_create"), sample("orders_updated")
    plan = plan_update(state(before), state(after), captured(before, status="released"))
    assert plan.edit is None and "released" in plan.not_applied[0] and "shipping address" in plan.not_applied[0]


def test_a_payment_becoming_unsecured_holds_the_order_and_a_captured_payment_lifts_the_hold():
    paid, pending = sample("orders_create"), sample("orders_create") | {"financial_status": "pending"}
    assert plan_update(state(paid), state(pending), captured(paid)).hold is True
    held = captured(pending, status="on_hold", hold_type="payment_review")
    assert plan_update(state(pending), state(paid), held).hold is False
    desk_hold = captured(pending, status="on_hold", hold_type="fraud_review")
    assert plan_update(state(pending), state(paid), desk_hold).hold is None  # the desk's hold stays


def test_a_cancellation_cancels_an_open_order_once_and_not_a_released_one():
    cancelled = state(sample("orders_cancelled"))
    open_order = captured(sample("orders_create"))
    assert plan_update(state(sample("orders_create")), cancelled, open_order).cancel
    assert plan_cancel(open_order.model_copy(update={"status": "cancelled"})).changes == []
    released = plan_cancel(open_order.model_copy(update={"status": "released"}))
    assert not released.cancel and "released" in released.not_applied[0]


def refund_of(document: dict) -> ShopifyRefund:
    return read(ShopifyRefund, orjson.dumps(document))


def test_a_refund_with_restock_type_cancel_cancels_those_units():
    order, refund = captured(sample("orders_create")), sample("refunds_create")
    shirt = line_of(order, "TSH-BLU-L")
    plan = plan_refund(refund_of(refund), order)
    refunded = refund["refund_line_items"][0]["quantity"]
    assert plan.edit.set_quantities == [LineQuantity(line_no=shirt.line_no, quantity=shirt.quantity - refunded)]

    refund["refund_line_items"][0]["quantity"] = shirt.quantity
    assert plan_refund(refund_of(refund), order).edit.remove_lines == [shirt.line_no]


def test_other_refunds_are_recorded_only():
    order, refund = captured(sample("orders_create")), sample("refunds_create")
    refund["refund_line_items"][0]["restock_type"] = "return"
    refund["refund_line_items"].append(refund["refund_line_items"][0] | {"line_item_id": 1, "restock_type": "cancel"})
    plan = plan_refund(refund_of(refund), order)
    assert plan.edit is None and len(plan.not_applied) == 2
    released = plan_refund(refund_of(sample("refunds_create")), order.model_copy(update={"status": "released"}))
    assert released.edit is None and "TSH-BLU-L x1 not cancelled" in released.not_applied[0]
