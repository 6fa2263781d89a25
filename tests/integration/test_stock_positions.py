"""Setting stock while orders reserve it: the two queue on the row, and neither loses the other's work."""

import threading

from sqlalchemy import select, text

from oms.db.tables import inventory
from oms.services.inventory import InventorySet, set_inventory
from oms.services.uow import UnitOfWork
from tests.factories import OPS, add_network, set_stock

RESERVE_TWO = text(
    "UPDATE inventory SET reserved = reserved + 2 WHERE node_id = 'WH-LYON' AND sku = 'TSH-BLU-L'"
)


def test_a_count_waits_for_a_reservation_in_flight_and_keeps_what_it_reserved(engine):
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10, reserved=1)
    answers = []

    def count_eight():
        command = InventorySet(on_hand=8, safety_stock=0)
        answers.append(set_inventory(UnitOfWork(engine), OPS, "WH-LYON", "TSH-BLU-L", command))

    with engine.connect() as reservation:
        reservation.begin()
        reservation.execute(RESERVE_TWO)
        counting = threading.Thread(target=count_eight)
        counting.start()
        counting.join(timeout=0.5)
        assert counting.is_alive(), "the count must wait for the reservation's row lock"
        reservation.commit()
    counting.join(timeout=10)
    assert (answers[0].on_hand, answers[0].reserved, answers[0].atp) == (8, 3, 5)
    with engine.connect() as conn:
        assert tuple(conn.execute(select(inventory.c.on_hand, inventory.c.reserved)).one()) == (8, 3)
