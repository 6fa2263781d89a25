"""An order with no promised delivery date (all of it backordered) is found by a search, and is not
late: it has no date to be late against."""

from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.order_search import OrderSearch, search_orders
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, OPS, add_network, order_body


def test_a_wholly_backordered_order_is_found_and_not_late(engine):
    add_network(engine)  # no stock anywhere: the order is backordered, with no promised date
    created, _ = capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(order_body("WEB-9")))
    assert created.status == "backordered" and created.promised_delivery_date is None

    [found] = search_orders(UnitOfWork(engine), OPS, OrderSearch(q="WEB-9")).items
    assert (found.id, found.late) == (created.id, False)
    assert search_orders(UnitOfWork(engine), OPS, OrderSearch(late=True)).items == []
