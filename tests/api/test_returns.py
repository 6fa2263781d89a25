"""Returns through the API: authorising an RMA against the policy and what shipped, refusals that store
nothing, cancelling, closing, and who may do what."""

import pytest
from sqlalchemy import text

from oms.services.actor import Role
from tests.factories import api_key
from tests.returns_factories import shipped_order

RETURNS = "/api/v1/returns"


@pytest.fixture
def order_id(client, engine) -> int:
    """A web order of 2 x TSH-BLU-L at 19.90, shipped from WH-LYON today."""
    return shipped_order(engine)


def rma(order_id: int, *lines, resolution: str = "refund", **extra) -> dict:
    """An RMA body; `lines` as (line_no, quantity, reason)."""
    return {"order_id": order_id, "resolution": resolution, **extra,
            "lines": [{"line_no": n, "quantity": q, "reason_code": r} for n, q, r in lines or [(1, 1, "too_small")]]}


def stored(engine) -> tuple[int, int]:
    """Returns stored, and audit events about returns."""
    with engine.connect() as conn:
        return (conn.execute(text("SELECT count(*) FROM returns")).scalar(),
                conn.execute(text("SELECT count(*) FROM audit_events WHERE entity_type = 'return'")).scalar())


def test_shipped_units_are_authorised_under_an_rma_number(client, order_id):
    created = client.post(RETURNS, json=rma(order_id, (1, 2, "too_small")))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["rma_number"] == f"RMA-{order_id}-1"
    assert (body["status"], body["resolution"], body["currency"], body["value"]) == ("authorised", "refund", "EUR", 39.8)
    assert body["lines"] == [{"line_no": 1, "sku": "TSH-BLU-L", "quantity": 2, "unit_price": 19.9,
                              "reason_code": "too_small", "comment": None, "received_quantity": 0,
                              "inspected_quantity": 0, "settled_quantity": 0}]
    assert body["policy"]["window_days"] == 30
    assert client.get(f"{RETURNS}/{body['id']}").json() == body
    assert [r["rma_number"] for r in client.get(f"/api/v1/orders/{order_id}/returns").json()] == [body["rma_number"]]
    assert client.get(RETURNS, params={"status": "authorised"}).json()["items"][0]["units"] == 2
    events = client.get(f"/api/v1/orders/{order_id}/events").json()
    assert events[-1]["action"] == "return.authorised"


def test_more_units_than_shipped_are_refused_and_nothing_is_stored(client, engine, order_id):
    assert client.post(RETURNS, json=rma(order_id, (1, 1, "too_small"))).status_code == 201
    before = stored(engine)
    refused = client.post(RETURNS, json=rma(order_id, (1, 2, "too_large")))
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert [(e["pointer"], e["code"]) for e in refused.json()["errors"]] == [("/lines/0/quantity", "over_returnable")]
    assert stored(engine) == before


def test_units_outside_the_window_are_refused_counting_from_delivery_or_else_shipment(client, engine):
    late = shipped_order(engine, "WEB-OLD", shipped_days_ago=31)
    refused = client.post(RETURNS, json=rma(late))
    assert refused.status_code == 422
    assert [e["code"] for e in refused.json()["errors"]] == ["outside_window"]
    assert stored(engine) == (0, 0)
    delivered_later = shipped_order(engine, "WEB-SLOW", lines=[("TSH-BLU-M", 1)], shipped_days_ago=40,
                                    delivered_days_ago=30)  # fmt: skip
    assert client.post(RETURNS, json=rma(delivered_later)).status_code == 201


def test_a_non_returnable_sku_comes_back_only_when_faulty(client, engine, order_id):
    policy = client.get("/api/v1/return-policies/web").json()["policy"] | {"non_returnable_skus": ["TSH-BLU-L"]}
    assert client.put("/api/v1/return-policies/web", json=policy).status_code == 200
    refused = client.post(RETURNS, json=rma(order_id, (1, 1, "changed_mind")))
    assert refused.status_code == 422
    assert [(e["pointer"], e["code"]) for e in refused.json()["errors"]] == [("/lines/0/reason_code", "non_returnable")]
    assert stored(engine) == (0, 0)
    assert client.post(RETURNS, json=rma(order_id, (1, 1, "defective"))).status_code == 201


def test_a_final_sale_product_is_not_returnable(client, engine):
    with engine.begin() as conn:
        conn.execute(text("UPDATE products SET final_sale = true WHERE sku = 'JKT-RED-M'"))
    order = shipped_order(engine, "WEB-SALE", lines=[("JKT-RED-M", 1)])
    refused = client.post(RETURNS, json=rma(order, (1, 1, "too_large")))
    assert [e["code"] for e in refused.json()["errors"]] == ["non_returnable"]
    assert client.get("/api/v1/products/JKT-RED-M").json()["final_sale"] is True


def test_unknown_lines_resolutions_the_policy_does_not_offer_and_bad_bodies_are_refused(client, engine, order_id):
    unknown = client.post(RETURNS, json=rma(order_id, (7, 1, "other")))
    assert [(e["pointer"], e["code"]) for e in unknown.json()["errors"]] == [("/lines/0/line_no", "unknown_line")]
    policy = client.get("/api/v1/return-policies/web").json()["policy"] | {"store_credit_allowed": False}
    client.put("/api/v1/return-policies/web", json=policy)
    credit = client.post(RETURNS, json=rma(order_id, resolution="store_credit"))
    assert [(e["pointer"], e["code"]) for e in credit.json()["errors"]] == [("/resolution", "not_offered")]
    assert client.post(RETURNS, json=rma(order_id, (1, 1, "bored"))).status_code == 422
    assert client.post(RETURNS, json=rma(order_id, resolution="exchange")).status_code == 422  # no exchange lines
    assert client.post(RETURNS, json=rma(999_999)).status_code == 404
    assert stored(engine) == (0, 0)


def test_values_the_database_cannot_hold_answer_422_and_change_nothing(client, engine, order_id):
    """A NUL character in text, or a number past bigint, passes validation but not PostgreSQL."""
    created = client.post(RETURNS, json=rma(order_id, (1, 1, "too_small"))).json()
    before = stored(engine)
    nul_comment = rma(order_id, (1, 1, "too_small")) | {"lines": [{"line_no": 1, "quantity": 1, "reason_code": "other",
                                                                  "comment": "torn\x00"}]}  # fmt: skip
    for method, path, body in [
        ("post", RETURNS, nul_comment),
        ("post", f"{RETURNS}/{created['id']}/cancel", {"reason": "kept\x00"}),
        ("post", f"{RETURNS}/{created['id']}/in-transit", {"tracking_number": "6A\x00"}),
        ("post", "/api/v1/customers/1/store-credit/adjustments", {"amount": 5, "note": "goodwill\x00"}),
        ("get", f"/api/v1/write-offs?return_id={2**63}", None),
    ]:
        answer = client.request(method, path, json=body)
        assert (answer.status_code, answer.headers["content-type"]) == (422, "application/problem+json"), path
    assert stored(engine) == before
    assert client.get(f"{RETURNS}/{created['id']}").json()["status"] == "authorised"
    assert client.get("/api/v1/customers/1/store-credit").json()["entries"] == []


def test_a_cancelled_return_gives_its_units_back_to_be_returned_again(client, order_id):
    first = client.post(RETURNS, json=rma(order_id, (1, 2, "too_small"))).json()
    assert client.post(RETURNS, json=rma(order_id)).status_code == 422
    cancelled = client.post(f"{RETURNS}/{first['id']}/cancel", json={"reason": "kept them"})
    assert (cancelled.json()["status"], cancelled.json()["status_reason"]) == ("cancelled", "kept them")
    assert client.post(f"{RETURNS}/{first['id']}/cancel", json={}).status_code == 409
    assert client.post(RETURNS, json=rma(order_id, (1, 2, "too_small"))).status_code == 201


def test_a_return_in_transit_keeps_its_tracking_number(client, order_id):
    created = client.post(RETURNS, json=rma(order_id)).json()
    moving = client.post(f"{RETURNS}/{created['id']}/in-transit", json={"tracking_number": "6A123", "carrier": "colissimo"})
    assert (moving.json()["status"], moving.json()["return_tracking_number"]) == ("in_transit", "6A123")
    assert client.post(f"{RETURNS}/{created['id']}/close", json={}).status_code == 409  # nothing arrived


def test_who_may_authorise_and_read_returns(client, engine, order_id):
    viewer = api_key(engine, Role.VIEWER)
    assert client.post(RETURNS, json=rma(order_id), headers=viewer).status_code == 403
    other_channel = api_key(engine, Role.CHANNEL, "marketplace")
    assert client.post(RETURNS, json=rma(order_id), headers=other_channel).status_code == 404
    own_channel = api_key(engine, Role.CHANNEL, "web")
    created = client.post(RETURNS, json=rma(order_id), headers=own_channel)
    assert created.status_code == 201
    assert client.get(f"{RETURNS}/{created.json()['id']}", headers=viewer).status_code == 200
    assert client.get(f"{RETURNS}/{created.json()['id']}", headers=other_channel).status_code == 404
    backoffice = api_key(engine, Role.BACKOFFICE)
    receipt = {"node_id": "WH-LYON", "lines": [{"line_no": 1, "quantity": 1}]}
    assert client.post(f"{RETURNS}/{created.json()['id']}/receipts", json=receipt, headers=backoffice).status_code == 403


def test_return_policies_are_read_set_and_removed_with_an_audit_trail(client, engine):
    default = client.get("/api/v1/return-policies/web").json()
    assert (default["source"], default["version"], default["policy"]["window_days"]) == ("default", 0, 30)
    policy = default["policy"] | {"window_days": 14, "restocking_fee_percent": {"changed_mind": 10}}
    saved = client.put("/api/v1/return-policies/web", json=policy).json()
    assert (saved["source"], saved["version"], saved["policy"]["restocking_fee_percent"]) == (
        "channel", 1, {"changed_mind": 10.0})
    refused = client.put("/api/v1/return-policies/web", json=policy | {"restocking_fee_percent": {"defective": 5}})
    assert refused.status_code == 422
    assert client.get("/api/v1/return-policies/web").json()["version"] == 1
    assert client.put("/api/v1/return-policies/nope", json=policy).status_code == 404
    assert client.put("/api/v1/return-policies/web", json=policy, headers=api_key(engine, Role.MANAGER)).status_code == 403
    assert client.delete("/api/v1/return-policies/web").json()["source"] == "default"
    with engine.connect() as conn:
        actions = conn.execute(text("SELECT action FROM audit_events WHERE entity_type = 'return_policy' ORDER BY id"))
        assert actions.scalars().all() == ["return_policy.saved", "return_policy.deleted"]
    assert {p["channel"] for p in client.get("/api/v1/return-policies").json()} == {"web", "marketplace", "b2b"}


def test_returns_are_listed_newest_first_a_page_at_a_time_and_filtered(client, engine, order_id):
    other = shipped_order(engine, "WEB-2", lines=[("TSH-BLU-M", 1)])
    first = client.post(RETURNS, json=rma(order_id)).json()
    second = client.post(RETURNS, json=rma(other, (1, 1, "defective"))).json()
    page = client.get(RETURNS, params={"limit": 1}).json()
    assert ([r["id"] for r in page["items"]], page["next_cursor"]) == ([second["id"]], second["id"])
    rest = client.get(RETURNS, params={"limit": 1, "cursor": page["next_cursor"]}).json()
    assert ([r["id"] for r in rest["items"]], rest["next_cursor"]) == ([first["id"]], None)
    assert [r["id"] for r in client.get(RETURNS, params={"rma_number": first["rma_number"]}).json()["items"]] == [
        first["id"]]
    assert client.get(RETURNS, params={"channel": "marketplace"}).json()["items"] == []
    assert client.get(RETURNS, params={"status": "nope"}).status_code == 422
