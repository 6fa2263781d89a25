"""What the Shopify integration may do to its channel's orders (edit them, place and lift payment-review
holds), a channel key may not: it captures and cancels its own orders, and touches no other channel's."""

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.channels.shopify.shop import post, sample
from tests.factories import api_key, order_body

ORDERS = "/api/v1/orders"
ADDRESS = {"name": "Camille Martin", "line1": "3 rue de Rivoli", "postal_code": "75004", "city": "Paris",
           "country": "FR"}  # fmt: skip
# Every route acting on an order, with a body it would take from a desk.
ORDER_ACTIONS = [
    ("PATCH", "", {"ship_to": ADDRESS}),
    ("POST", "/hold", {"type": "manual", "reason": "customer called"}),
    ("POST", "/release-hold", {"reason": "checked"}),
    ("POST", "/cancel", {"reason": "customer asked"}),
    ("POST", "/lines/1/cancel", {"reason": "customer asked"}),
    ("POST", "/allocate", None),
    ("POST", "/reroute", {"reason": "manual", "note": "closer to the customer"}),
    ("POST", "/release", None),
]


def footprint(engine, order_id: int) -> tuple:
    """What any action on the order changes: its version, status, hold, and its audit trail."""
    with engine.connect() as conn:
        return conn.execute(text(
            """SELECT o.version, o.status, o.hold_type, o.ship_to,
                      (SELECT count(*) FROM audit_events e WHERE e.order_id = o.id) AS events
               FROM orders o WHERE o.id = :id"""
        ), {"id": order_id}).one()  # fmt: skip


def test_a_channel_key_may_not_lift_the_desks_fraud_hold_nor_edit_or_hold_its_own_orders(shop, engine):
    order = shop.post(ORDERS, json=order_body("WEB-900")).json()
    held = shop.post(f"{ORDERS}/{order['id']}/hold", json={"type": "fraud_review", "reason": "card flagged"})
    assert held.status_code == 200
    before = footprint(engine, order["id"])
    web = api_key(engine, Role.CHANNEL, "web")

    assert shop.post(f"{ORDERS}/{order['id']}/release-hold", json={"reason": "looks fine"},
                     headers=web).status_code == 403  # fmt: skip
    assert shop.patch(f"{ORDERS}/{order['id']}", json={"ship_to": ADDRESS}, headers=web).status_code == 403
    other = shop.post(ORDERS, json=order_body("WEB-901")).json()
    assert shop.post(f"{ORDERS}/{other['id']}/hold", json={"reason": "x"}, headers=web).status_code == 403
    assert footprint(engine, order["id"]) == before
    assert shop.post(f"{ORDERS}/{other['id']}/cancel", json={"reason": "customer asked"},
                     headers=web).status_code == 200  # what a channel key could always do  # fmt: skip


def test_the_shopify_integration_still_edits_and_lifts_its_payment_hold(shop, engine):
    pending = sample("orders_create") | {"financial_status": "pending"}
    captured = post(shop, "orders/create", pending).json()
    assert shop.get(f"{ORDERS}/{captured['order_id']}").json()["hold_type"] == "payment_review"
    update = sample("orders_updated") | {"financial_status": "paid"}
    response = post(shop, "orders/updated", update)

    assert response.status_code == 201 and response.json()["result"] == "applied"
    assert "payment-review hold lifted" in response.json()["outcome"]["changes"]
    order = shop.get(f"{ORDERS}/{captured['order_id']}").json()
    assert order["hold_type"] is None and order["ship_to"]["line1"] == update["shipping_address"]["address1"]


@pytest.mark.parametrize(("method", "path", "body"), ORDER_ACTIONS)
def test_a_channel_key_cannot_act_on_another_channels_order_through_any_route(shop, engine, method, path, body):
    order = shop.post(ORDERS, json=order_body("WEB-902", lines=[("TSH-BLU-L", 1), ("JKT-RED-M", 1)])).json()
    before = footprint(engine, order["id"])
    marketplace = api_key(engine, Role.CHANNEL, "marketplace")
    response = shop.request(method, f"{ORDERS}/{order['id']}{path}", json=body, headers=marketplace)

    assert response.status_code in (403, 404), response.text
    assert footprint(engine, order["id"]) == before
