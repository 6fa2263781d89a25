"""Marketplace orders under concurrency: the stock check is advisory and capture's reservation atomic, and
deliveries of one order racing (or one stopped between capture and acknowledgement) end with one order,
one payload, one acknowledgement and the same answer."""

import json
import threading

import pytest
from sqlalchemy import text

from oms.services import channel_marketplace
from oms.services.actor import Actor, Role
from oms.services.channel_marketplace import receive_order
from oms.services.uow import UnitOfWork
from tests.channels.marketplace.builders import integrate, order, post
from tests.factories import set_stock

MARKETPLACE = Actor(name="mirakl-connector", role=Role.CHANNEL, channel_id="marketplace")


def _stock(engine, sku: str) -> tuple[int, int]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT sum(on_hand), sum(reserved) FROM inventory WHERE sku = :sku"), {"sku": sku})
        return tuple(row.one())


def _rows(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("orders", "inbound_payloads", "channel_documents", "audit_events")}  # fmt: skip


def _at_once(engine, bodies: list[bytes]) -> list:
    """Each body received by its own thread, all starting together; the answers (or errors) in order."""
    start, results = threading.Barrier(len(bodies)), [None] * len(bodies)

    def deliver(index: int) -> None:
        start.wait()
        try:
            results[index] = receive_order(UnitOfWork(engine), MARKETPLACE, "marketplace", bodies[index])
        except Exception as error:  # noqa: BLE001  (asserted by the caller)
            results[index] = error

    threads = [threading.Thread(target=deliver, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_stock_sold_between_the_check_and_capture_leaves_the_accepted_line_backordered_not_oversold(
    client, engine, monkeypatch
):
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 2)
    checked = channel_marketplace.line_facts

    def check_then_sell_out(conn, cmd):
        facts = checked(conn, cmd)
        set_stock(engine, "WH-LYON", "TSH-BLU-M", 2, reserved=2)  # another order takes both meanwhile
        return facts

    monkeypatch.setattr(channel_marketplace, "line_facts", check_then_sell_out)

    answer = post(client, order("mirakl_order")).json()

    assert answer["lines"][0]["accepted"] is True
    assert [(line["sku"], line["allocated_quantity"], line["backordered_quantity"])
            for line in answer["order"]["lines"]] == [("TSH-BLU-M", 0, 2)]  # fmt: skip
    assert _stock(engine, "TSH-BLU-M") == (2, 2)


def test_two_orders_racing_for_the_last_units_never_reserve_more_than_there_is(client, engine):
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 3)
    bodies = []
    for n in range(4):  # 2 units each, 3 in stock
        body = order("mirakl_order")
        body["order_id"] = f"RACE-{n}"
        body["order_lines"] = body["order_lines"][:1]
        bodies.append(json.dumps(body).encode())

    answers = _at_once(engine, bodies)

    assert all(isinstance(answer, tuple) and answer[1] for answer in answers), answers
    allocated = sum(line["allocated_quantity"] for answer, _ in answers if answer.order for line in
                    answer.order.model_dump()["lines"])  # fmt: skip
    assert allocated == 3 and _stock(engine, "TSH-BLU-M") == (3, 3)


@pytest.mark.parametrize("deliveries", [2, 3])
def test_deliveries_of_one_order_racing_make_one_order_and_give_one_answer(client, engine, deliveries):
    integrate(client, engine, {"preset": "mirakl"})
    set_stock(engine, "WH-LYON", "TSH-BLU-M", 5)
    body = json.dumps(order("mirakl_order")).encode()

    results = _at_once(engine, [body] * deliveries)

    assert all(isinstance(result, tuple) for result in results), results
    assert sorted(first for _, first in results) == [False] * (deliveries - 1) + [True]
    assert all(answer == results[0][0] for answer, _ in results)
    assert {k: v for k, v in _rows(engine).items() if k != "audit_events"} == {
        "orders": 1, "inbound_payloads": 1, "channel_documents": 1}  # fmt: skip
    assert _stock(engine, "TSH-BLU-M") == (5, 2)


def test_an_order_captured_but_not_yet_acknowledged_is_acknowledged_by_the_next_delivery(client, engine, monkeypatch):
    integrate(client, engine, {"preset": "amazon"})
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", 5)  # JKT-RED-M has none
    body = json.dumps(order("amazon_order")).encode()
    acknowledge = channel_marketplace._acknowledge

    def stopped(*args, **kwargs):
        raise RuntimeError("the process stopped here")

    monkeypatch.setattr(channel_marketplace, "_acknowledge", stopped)
    with pytest.raises(RuntimeError):
        receive_order(UnitOfWork(engine), MARKETPLACE, "marketplace", body)
    assert _rows(engine)["channel_documents"] == 0 and _rows(engine)["orders"] == 1
    monkeypatch.setattr(channel_marketplace, "_acknowledge", acknowledge)

    answer, first = receive_order(UnitOfWork(engine), MARKETPLACE, "marketplace", body)

    assert not first and [(line.accepted, line.reason) for line in answer.lines] == [(True, None), (False, "no_stock")]
    assert answer.acknowledgement["Items"][1] == {"AmazonOrderItemCode": "06291154528732", "CancelReason": "NoInventory"}
    assert answer.order.lines[0].external_line_id == "06291154528731" and answer.document_id is not None
    again, _ = receive_order(UnitOfWork(engine), MARKETPLACE, "marketplace", body)
    assert again == answer and _rows(engine)["channel_documents"] == 1
