"""The import service on a real database: all or nothing by default, skip-invalid, the file kept once and
recognised again, orders pointing at their rows, and concurrent captures reported in file order."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text

from oms.services.actor import Actor, Role
from oms.services.errors import ContentTooLarge, Forbidden, ValidationFailed
from oms.services.inbound import find_received
from oms.services.order_capture import capture_order
from oms.services.order_imports import import_orders
from oms.services.order_imports_models import (
    ImportInterrupted,
    ImportRefused,
    OrderImportCommand,
)
from oms.services.order_models import OrderCreate
from oms.services.order_queries import get_order
from oms.services.uow import UnitOfWork
from tests.channels.bulk.changes import CAPTURE, deactivate_before
from tests.channels.bulk.files import LUMIERE, csv_file, order_rows, three_orders, xlsx_file
from tests.factories import OPS, order_body

B2B = OrderImportCommand(channel="b2b")
SKIP = OrderImportCommand(channel="b2b", skip_invalid=True)


def run(engine, content: bytes, cmd=B2B, actor=OPS, **options):
    return import_orders(UnitOfWork(engine), actor, cmd, content, **options)


def counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("orders", "order_lines", "inbound_payloads", "audit_events", "outbox")
        }


def reserved(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT sum(reserved) FROM inventory")).scalar_one()


def test_a_file_becomes_orders_that_point_at_their_rows_of_the_stored_file(stocked):
    content = csv_file(order_rows())
    report = run(stocked, content)

    assert (report.file_format, report.rows, report.orders) == ("csv", 5, 2)
    assert (report.created, report.replayed) == (2, 0)
    assert report.errors == [] and report.rejected == 0
    assert [(o.order_ref, o.rows, o.created) for o in report.imported] == [
        ("PO-2026-0412", "rows 2-4", True), ("PO-2026-0413", "rows 5-6", True)
    ]  # fmt: skip
    order = get_order(UnitOfWork(stocked), OPS, report.imported[0].order_id)
    assert order.source.model_dump() == {"source": "bulk", "payload_id": report.payload_id,
                                         "reference": "rows 2-4"}  # fmt: skip
    assert [(line.sku, line.quantity, line.external_line_id) for line in order.lines] == [
        ("TSH-BLU-L", 12, "10"), ("TSH-BLU-M", 6, "20"), ("JKT-RED-M", 2, "30")
    ]  # fmt: skip
    assert order.status == "allocated" and order.channel == "b2b" and order.notes == "Livraison avant 10h"
    becker = get_order(UnitOfWork(stocked), OPS, report.imported[1].order_id)
    assert float(becker.total_amount) == 4 * 82.0 + 3 * 19.90  # the blank price is the catalogue's

    with stocked.connect() as conn:
        payload = conn.execute(text("SELECT source, topic, dedupe_key, body, outcome FROM inbound_payloads"))
        payload = payload.one()
        audit = conn.execute(text("SELECT after FROM audit_events WHERE action = 'orders.imported'"))
        audit = audit.scalar_one()
    assert (payload.source, payload.topic, payload.dedupe_key) == ("bulk", "csv", report.sha256)
    assert bytes(payload.body) == content and payload.outcome["created"] == 2
    assert audit["orders"] == 2 and audit["created"] == 2


def test_the_same_file_again_is_answered_with_the_first_outcome_and_writes_nothing(stocked):
    content = xlsx_file(order_rows())
    first = run(stocked, content)
    before = counts(stocked)

    again = run(stocked, content)
    assert again.already_imported and not first.already_imported
    assert again.model_dump(exclude={"already_imported"}) == first.model_dump(exclude={"already_imported"})
    assert counts(stocked) == before
    week_2 = OrderImportCommand(channel="b2b", sheet="Week 2")
    other_sheet = run(stocked, xlsx_file(order_rows(), sheet="Week 2"), week_2)
    assert not other_sheet.already_imported and other_sheet.replayed == 2  # a new file of the same orders


def test_any_error_refuses_the_whole_file_and_stores_nothing(stocked):
    rows = order_rows()
    rows[4][15] = -3  # Becker's second line
    before, stock = counts(stocked), reserved(stocked)

    with pytest.raises(ImportRefused) as refused:
        run(stocked, csv_file(rows))

    report = refused.value.report
    assert [(e.row, e.column, e.order_ref) for e in report.errors] == [(6, "quantity", "PO-2026-0413")]
    assert report.payload_id is None and report.created == 0 and report.rejected == 1
    assert refused.value.errors[0].path == ("rows", 6, "quantity")
    assert counts(stocked) == before and reserved(stocked) == stock


def test_skip_invalid_imports_the_valid_orders_and_leaves_a_bad_order_out_whole(stocked):
    rows = order_rows()
    rows[4][14] = "TSH-GRN-XL"  # one bad row of Becker's two
    report = run(stocked, csv_file(rows), SKIP)

    assert [o.order_ref for o in report.imported] == ["PO-2026-0412"] and report.rejected == 1
    assert [(e.row, e.column, e.code) for e in report.errors] == [(6, "sku", "unknown_sku")]
    with stocked.connect() as conn:
        refs = conn.execute(text("SELECT external_id FROM orders")).scalars().all()
        outcome = conn.execute(text("SELECT outcome FROM inbound_payloads")).scalar_one()
    assert refs == ["PO-2026-0412"] and outcome["errors"][0]["row"] == 6


def test_a_file_with_no_valid_order_is_refused_even_when_skipping(stocked):
    rows = order_rows()[:3]
    rows[0][2] = "not an address"
    before = counts(stocked)
    with pytest.raises(ImportRefused):
        run(stocked, csv_file(rows), SKIP)
    assert counts(stocked) == before


def test_orders_captured_before_replay_and_other_content_under_their_reference_is_refused(stocked):
    first = run(stocked, csv_file(order_rows()[:3]))
    report = run(stocked, csv_file(order_rows()))  # another file: Lumière's order again, and Becker's
    assert [(o.order_ref, o.order_id, o.created) for o in report.imported] == [
        ("PO-2026-0412", first.imported[0].order_id, False),
        ("PO-2026-0413", report.imported[1].order_id, True),
    ]
    assert (report.created, report.replayed) == (1, 1)

    changed = order_rows()
    changed[0][15] = 13
    changed[3][0] = changed[4][0] = "PO-2026-0414"
    before = counts(stocked)
    with pytest.raises(ImportRefused) as refused:
        run(stocked, csv_file(changed))
    [error] = refused.value.report.errors
    assert (error.row, error.column, error.code) == (2, "order_ref", "conflict")
    assert counts(stocked) == before  # PO-2026-0414 was fine, but the file is all or nothing


def test_an_import_cut_short_runs_again_on_its_stored_file(stocked, monkeypatch):
    def capture_then_stop(uow, actor, cmd, source):
        if cmd.external_id == "PO-2026-0413":
            raise ConnectionError("the process stops here")
        return capture_order(uow, actor, cmd, source)

    content = csv_file(order_rows())
    monkeypatch.setattr("oms.services.order_imports_capture.capture_order", capture_then_stop)
    with pytest.raises(ConnectionError):
        run(stocked, content, workers=1)
    monkeypatch.undo()

    again = run(stocked, content)
    assert not again.already_imported
    assert [(o.order_ref, o.created) for o in again.imported] == [
        ("PO-2026-0412", False), ("PO-2026-0413", True)
    ]  # fmt: skip
    with stocked.connect() as conn:
        payloads = conn.execute(text("SELECT id, outcome IS NOT NULL FROM inbound_payloads")).all()
    assert payloads == [(again.payload_id, True)]


def test_many_orders_captured_concurrently_are_reported_in_file_order(stocked):
    rows = [[f"PO-{n:04d}", *LUMIERE[1:], str(line), sku, 1, 19.9]
            for n in range(60) for line, sku in enumerate(("TSH-BLU-L", "TSH-BLU-M"))]  # fmt: skip
    seen = []
    report = run(stocked, csv_file(rows), workers=4, progress=lambda done, total: seen.append((done, total)))

    assert [o.order_ref for o in report.imported] == [f"PO-{n:04d}" for n in range(60)]
    assert report.created == 60 and [o.rows for o in report.imported[:2]] == ["rows 2-3", "rows 4-5"]
    assert seen[-1] == (120, 120) and [done for done, _ in seen] == sorted(done for done, _ in seen)
    with stocked.connect() as conn:
        ids = conn.execute(text("SELECT id FROM orders ORDER BY id")).scalars().all()
    assert sorted(o.order_id for o in report.imported) == ids
    assert reserved(stocked) == 120


def test_who_may_import_for_which_channel(stocked):
    content = csv_file(order_rows())
    with pytest.raises(Forbidden):
        run(stocked, content, actor=Actor("viewer", Role.VIEWER))
    with pytest.raises(Forbidden):
        run(stocked, content, actor=Actor("web-shop", Role.CHANNEL, channel_id="web"))
    assert run(stocked, content, actor=Actor("b2b-portal", Role.CHANNEL, channel_id="b2b")).created == 2


def test_an_unknown_channel_an_unreadable_file_and_a_file_too_large_are_refused(stocked, monkeypatch):
    with pytest.raises(ValidationFailed) as unknown:
        run(stocked, csv_file(order_rows()), OrderImportCommand(channel="fax"))
    assert unknown.value.errors[0].path == ("channel",)
    with pytest.raises(ValidationFailed) as unreadable:
        run(stocked, b"PK\x03\x04garbage")
    assert unreadable.value.errors[0].path == ("file",)
    monkeypatch.setattr("oms.services.order_imports.MAX_FILE_BYTES", 100)
    with pytest.raises(ContentTooLarge):
        run(stocked, csv_file(order_rows()))
    assert counts(stocked)["inbound_payloads"] == 0


def test_an_order_captured_through_the_api_with_the_same_content_replays(stocked):
    body = order_body("PO-API-1", lines=[("TSH-BLU-L", 2)], channel="b2b")
    order, _ = capture_order(UnitOfWork(stocked), OPS, OrderCreate.model_validate(body))
    row = ["PO-API-1", "Camille Martin", "camille.martin@example.fr", "", "Camille Martin",
           "12 rue Oberkampf", "", "75011", "Paris", "FR", "standard", "EUR", "", "",
           "TSH-BLU-L", 2, 19.9]  # fmt: skip
    report = run(stocked, csv_file([row]))
    assert [(o.order_id, o.created) for o in report.imported] == [(order.id, False)]
    with stocked.connect() as conn:
        assert find_received(conn, "b2b", "bulk", report.sha256).payload_id == report.payload_id


def test_the_same_file_imported_twice_at_once_makes_its_orders_once(stocked):
    content = csv_file(order_rows())
    barrier = threading.Barrier(2)

    def clerk() -> list[tuple[str, int]]:
        barrier.wait()
        report = run(stocked, content)
        return [(o.order_ref, o.order_id) for o in report.imported]

    with ThreadPoolExecutor(2) as pool:
        first, second = [future.result() for future in [pool.submit(clerk), pool.submit(clerk)]]

    assert first == second and [ref for ref, _ in first] == ["PO-2026-0412", "PO-2026-0413"]
    assert counts(stocked)["orders"] == 2 and counts(stocked)["inbound_payloads"] == 1
    assert reserved(stocked) == 12 + 6 + 2 + 4 + 3


def outcomes(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(text("SELECT outcome FROM inbound_payloads")).scalars().all()


def test_an_order_refused_at_capture_stops_an_all_or_nothing_import_and_the_same_file_finishes_it(
    stocked, monkeypatch
):
    content = csv_file(three_orders())
    monkeypatch.setattr(CAPTURE, deactivate_before(stocked, "PO-2026-0413", "JKT-RED-M"))
    with pytest.raises(ImportInterrupted) as interrupted:
        run(stocked, content, workers=1)
    monkeypatch.undo()

    report = interrupted.value.report
    assert [(o.order_ref, o.created) for o in report.imported] == [("PO-2026-0412", True)]
    assert [(e.row, e.column, e.code) for e in report.errors] == [(5, "sku", "unknown_sku")]
    assert interrupted.value.status == 409 and "import the same file again" in interrupted.value.detail
    assert counts(stocked)["orders"] == 1  # PO-2026-0414 was not captured after the refusal
    assert outcomes(stocked) == [None]  # left open, not answered as done

    with stocked.begin() as conn:
        conn.execute(text("UPDATE products SET active = true WHERE sku = 'JKT-RED-M'"))
    again = run(stocked, content)
    assert not again.already_imported and again.payload_id == report.payload_id
    assert [(o.order_ref, o.created) for o in again.imported] == [
        ("PO-2026-0412", False), ("PO-2026-0413", True), ("PO-2026-0414", True)
    ]  # fmt: skip


def test_with_skip_invalid_an_order_refused_at_capture_is_reported_and_the_others_go_in(stocked, monkeypatch):
    monkeypatch.setattr(CAPTURE, deactivate_before(stocked, "PO-2026-0413", "JKT-RED-M"))
    report = run(stocked, csv_file(three_orders()), SKIP, workers=1)

    assert [o.order_ref for o in report.imported] == ["PO-2026-0412", "PO-2026-0414"] and report.rejected == 1
    assert [(e.row, e.column, e.code) for e in report.errors] == [(5, "sku", "unknown_sku")]
    assert outcomes(stocked)[0]["rejected"] == 1


def test_a_file_of_many_errors_lists_the_first_and_counts_them_all(stocked, monkeypatch):
    """Past a thousand, a file's errors repeat one mistake: the report, its problem body and the outcome
    kept list the first (a few hundred kilobytes of rows can hold a million errors)."""
    monkeypatch.setattr("oms.services.order_imports.MAX_LISTED_ERRORS", 3)
    rows = [[f"PO-{n}", *LUMIERE[1:], "10", "TSH-GRN-XL", 1, 19.9] for n in range(5)]  # rows 2 to 6

    with pytest.raises(ImportRefused) as refused:
        run(stocked, csv_file(rows))
    report = refused.value.report
    assert [e.row for e in report.errors] == [2, 3, 4] and report.error_count == 5
    assert len(refused.value.errors) == 3 and "5 error(s)" in refused.value.detail
    assert "the first 3 listed" in refused.value.detail

    report = run(stocked, csv_file([*rows, *order_rows()]), SKIP)
    assert (report.created, report.rejected, report.error_count, len(report.errors)) == (2, 5, 5, 3)
    assert [(len(o["errors"]), o["error_count"]) for o in outcomes(stocked)] == [(3, 5)]
