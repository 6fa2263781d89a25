"""Order capture on the API's event loop (oms.services.capture_on_loop): orders captured at once share a
statement and come out as the thread pool's captures do; what the loop leaves to the general path (a
retry, a write that failed, a cache to read again) gets the answer it would have got there."""

import asyncio

import orjson
import pytest

from oms.services import capture_on_loop, capture_writes, routing_config
from oms.services.capture_on_loop import CaptureOnLoop
from oms.services.errors import ValidationFailed
from oms.services.order_models import OrderCreate
from tests.factories import ADMIN, order_body
from tests.integration.test_capture_groups import FOUR_ORDERS, assert_written_as_answered, one

WAIT_SECONDS = 10


@pytest.fixture
def general(monkeypatch):
    """The external ids of the orders the loop left to the general path."""
    taken: list[str] = []
    original = capture_on_loop.capture_order

    def capture_order(uow, actor, cmd):
        taken.append(cmd.external_id)
        return original(uow, actor, cmd)

    monkeypatch.setattr(capture_on_loop, "capture_order", capture_order)
    return taken


@pytest.fixture
def groups(monkeypatch):
    """The sizes of the statements written; the first group is led once `ready[0](writer)` holds (for
    instance: that many writes are queued), so that the writes queued by then share it."""
    sizes: list[int] = []
    ready = [lambda writer: True]
    lead, write = capture_writes.AsyncGroupWriter._lead, capture_writes.fetch_one_async

    async def held_lead(writer):
        if not sizes:
            async with asyncio.timeout(WAIT_SECONDS):
                while not ready[0](writer):
                    await asyncio.sleep(0.01)
        return await lead(writer)

    async def fetch_one_async(conn, stmt, params, dialect):
        sizes.append(len(orjson.loads(params["orders"])))
        return await write(conn, stmt, params, dialect)

    monkeypatch.setattr(capture_writes.AsyncGroupWriter, "_lead", held_lead)
    monkeypatch.setattr(capture_writes, "fetch_one_async", fetch_one_async)
    return sizes, ready


def queued(n: int):
    return lambda writer: len(writer._queue) >= n


class Loop:
    """Runs captures on a CaptureOnLoop of its own, as an API worker would."""

    def __init__(self, engine):
        self.engine = engine

    def capture(self, bodies: list[dict], warm_up: dict | None = None, cancel: int | None = None) -> list:
        """The outcome of each body, captured at once (the exception, for those that raised); `warm_up` is
        captured first, alone; the capture of `bodies[cancel]` is cancelled once its write is queued."""

        async def main():
            on_loop = CaptureOnLoop(self.engine)
            await on_loop.open()
            try:
                if warm_up:
                    await on_loop.capture(ADMIN, OrderCreate.model_validate(warm_up))
                tasks = [asyncio.create_task(on_loop.capture(ADMIN, OrderCreate.model_validate(b))) for b in bodies]
                if cancel is not None:
                    async with asyncio.timeout(WAIT_SECONDS):
                        external_id = bodies[cancel]["external_id"]
                        while all(q.write.order["external_id"] != external_id for q in on_loop._group._queue):
                            await asyncio.sleep(0.01)
                    tasks[cancel].cancel()
                return await asyncio.gather(*tasks, return_exceptions=True)
            finally:
                await on_loop.close()

        return asyncio.run(main())


WARM_UP = order_body("WEB-0", [("TSH-BLU-M", 1)])  # a worker's first capture reads its caches


def test_orders_captured_at_once_on_the_loop_share_a_statement_and_come_out_as_if_written_alone(
    capture_network, groups, general
):
    sizes, ready = groups
    ready[0] = queued(4)
    captured = Loop(capture_network).capture(FOUR_ORDERS, warm_up=WARM_UP)

    assert general == ["WEB-0"]  # the warm-up read the caches on the general path; the others ran on the loop
    assert sizes == [4]  # written together
    assert all(created and order.status == "allocated" for order, created in captured)
    reserved = one(capture_network, "SELECT json_object_agg(sku, reserved) FROM inventory WHERE node_id = 'WH-LYON'")[0]
    assert reserved == {"TSH-BLU-L": 5, "TSH-BLU-M": 2, "JKT-RED-M": 3}
    for order, _ in captured:
        assert_written_as_answered(capture_network, order)


def test_when_a_group_on_the_loop_fails_each_order_is_written_alone(capture_network, groups, general):
    sizes, ready = groups
    ready[0] = queued(3)
    retry = order_body("WEB-1", [("TSH-BLU-L", 1)])
    other = order_body("WEB-2", [("JKT-RED-M", 1)], customer={"name": "Lou Petit", "email": "lou@example.fr"})
    captured = Loop(capture_network).capture([retry, retry, other], warm_up=WARM_UP)  # a retry racing the first try

    assert sizes == [3, 1, 1, 1]  # the group failed on the order key, then each wrote alone
    assert general == ["WEB-0", "WEB-1"]  # the retry, refused by the order key, is answered the general way
    (first, created_first), (second, created_second), (written, created) = captured
    assert first.id == second.id and sorted([created_first, created_second]) == [False, True]
    assert created and written.external_id == "WEB-2"
    assert one(capture_network, "SELECT count(*) FROM orders WHERE external_id IN ('WEB-1', 'WEB-2')")[0] == 2
    assert one(capture_network, "SELECT sum(reserved) FROM inventory WHERE sku <> 'TSH-BLU-M'")[0] == 2


def test_a_stale_cache_or_an_order_captured_already_goes_the_general_way(capture_network, general):
    routing_config.clear_cache()
    body = order_body("WEB-1", [("TSH-BLU-L", 1)])
    ((first, created),) = Loop(capture_network).capture([body])
    ((again, created_again),) = Loop(capture_network).capture([body])

    assert general == ["WEB-1", "WEB-1"]  # the routing settings read on the general path; then the retry
    assert created and not created_again and again.id == first.id
    assert one(capture_network, "SELECT count(*) FROM orders")[0] == 1


def test_bad_input_on_the_loop_is_refused_and_stores_nothing(capture_network, general):
    (refused,) = Loop(capture_network).capture([order_body("WEB-1", [("NOPE-1", 1)])], warm_up=WARM_UP)

    assert isinstance(refused, ValidationFailed) and refused.errors[0].path == ("lines", 0, "sku")
    assert general == ["WEB-0"]
    assert one(capture_network, "SELECT count(*) FROM orders WHERE external_id = 'WEB-1'")[0] == 0


def test_a_capture_cancelled_while_queued_leaves_the_others_be(capture_network, groups):
    sizes, ready = groups
    ready[0] = lambda writer: queued(3)(writer) and any(q.written.cancelled() for q in writer._queue)
    bodies = [order_body(f"WEB-{n}", [("TSH-BLU-L", 1)]) for n in (1, 2, 3)]
    captured = Loop(capture_network).capture(bodies, warm_up=WARM_UP, cancel=2)

    assert sizes == [3] and isinstance(captured[2], asyncio.CancelledError)
    assert all(created for _, created in captured[:2])
    # its write was queued: it stands, as a thread's would after its client went away
    assert one(capture_network, "SELECT count(*) FROM orders WHERE external_id IN ('WEB-1', 'WEB-2', 'WEB-3')")[0] == 3


def test_the_skus_reserved_on_the_loop_are_announced_to_the_other_processes(capture_network, heard):
    Loop(capture_network).capture([order_body("WEB-1", [("TSH-BLU-L", 1)])], warm_up=WARM_UP)

    # no listener runs in this process: each capture announces its SKUs at once, from a thread
    assert heard() == ['reserved ["TSH-BLU-M"]', 'reserved ["TSH-BLU-L"]']
