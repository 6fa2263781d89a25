"""Two deliveries of one interchange at once (a partner's retry racing its first try): it is stored
once, each purchase order captured once, each 855 owed once, and both answers name the same orders."""

import threading

import pytest
from sqlalchemy import text

from oms.services import channel_edi_documents
from oms.services.channel_edi import receive_interchange
from oms.services.uow import UnitOfWork
from tests.channels.edi.samples import TWO_GROUPS, replace, sample
from tests.factories import OPS


def test_racing_deliveries_of_one_interchange_capture_and_acknowledge_once(partner, engine):
    for attempt in range(3):
        body = replace(TWO_GROUPS, "000005001", f"00000600{attempt}", 2).replace(b"BS-10", f"BS-{attempt}0".encode())
        barrier, answers = threading.Barrier(2), []

        def deliver(body=body, barrier=barrier, answers=answers):
            barrier.wait()
            answers.append(receive_interchange(UnitOfWork(engine), OPS, "b2b", body))

        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        first, second = ([s.order_id for s in a.transaction_sets] for a in answers)
        assert first == second and None not in first
        assert {s.status for a in answers for s in a.transaction_sets} == {"captured"}
    with engine.connect() as conn:
        row = conn.execute(text(
            """SELECT (SELECT count(*) FROM inbound_payloads) AS payloads, (SELECT count(*) FROM orders) AS orders,
                      (SELECT count(*) FROM channel_documents WHERE kind = 'edi_855') AS acknowledgements"""
        )).one()  # fmt: skip
    assert (row.payloads, row.orders, row.acknowledgements) == (3, 9, 9)


def test_an_interchange_left_unfinished_is_finished_by_the_partners_retry(partner, engine, monkeypatch):
    def stop(*args, **kwargs):
        raise RuntimeError("the process stopped after capturing the orders")

    monkeypatch.setattr(channel_edi_documents, "acknowledge", stop)
    body = sample(TWO_GROUPS)
    with pytest.raises(RuntimeError):
        receive_interchange(UnitOfWork(engine), OPS, "b2b", body)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM orders")).scalar_one() == 3
        assert conn.execute(text("SELECT outcome FROM inbound_payloads")).scalar_one() is None
    monkeypatch.undo()
    receipt = receive_interchange(UnitOfWork(engine), OPS, "b2b", body)
    assert not receipt.replayed and {s.status for s in receipt.transaction_sets} == {"captured"}
    with engine.connect() as conn:
        row = conn.execute(text(
            """SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM edi_open_orders) AS open,
                      (SELECT count(*) FROM channel_documents WHERE kind = 'edi_855') AS acknowledgements,
                      (SELECT outcome IS NOT NULL FROM inbound_payloads) AS answered"""
        )).one()  # fmt: skip
    assert (row.orders, row.open, row.acknowledgements, row.answered) == (3, 3, 3, True)
    assert receive_interchange(UnitOfWork(engine), OPS, "b2b", body).replayed
