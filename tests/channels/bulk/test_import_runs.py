"""Bulk imports run in the background: queued at once with the file, run by the worker's job as the
person who asked, with progress written while it runs and an end it always reaches (done, refused,
interrupted, failed), a dead worker's run taken up again, and never run twice at once."""

import threading

import pytest
from sqlalchemy import text

from oms.services import import_run_job
from oms.services.actor import Actor, Role
from oms.services.errors import ContentTooLarge, Forbidden, NotFound, ValidationFailed
from oms.services.import_run_job import run_queued
from oms.services.import_runs import (
    MAX_OPEN_RUNS,
    TooManyOpenRuns,
    import_run_view,
    recent_import_runs,
    start_import_run,
)
from oms.services.order_capture import capture_order
from oms.services.order_imports_models import MAX_FILE_BYTES, OrderImportCommand
from oms.services.uow import UnitOfWork
from tests.channels.bulk.changes import CAPTURE, conflict_at
from tests.channels.bulk.files import csv_file, order_rows, three_orders
from tests.factories import OPS, api_key

B2B = OrderImportCommand(channel="b2b")
CLERK = Actor(name="user:clara", role=Role.BACKOFFICE)


def start(engine, content: bytes, cmd=B2B, actor=CLERK, name="po-week-12.csv"):
    return start_import_run(UnitOfWork(engine), actor, cmd, name, content)


def view(engine, run_id: int, actor=OPS):
    return import_run_view(UnitOfWork(engine), actor, run_id)


def one(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).one()


def counts(engine) -> tuple[int, int, int]:
    return tuple(one(engine, "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM inbound_payloads),"
                             " (SELECT count(*) FROM import_runs)"))  # fmt: skip


def test_a_queued_run_is_imported_by_the_job_as_the_person_who_asked(stocked):
    queued = start(stocked, csv_file(order_rows()), name=r"C:\Users\clara\po-week-12.csv")
    assert (queued.status, queued.ended, queued.rows_done, queued.report) == ("queued", False, 0, None)
    assert queued.file_name == "po-week-12.csv" and queued.asked_by == "user:clara"
    assert counts(stocked) == (0, 0, 1)

    assert run_queued(stocked) == 1
    done = view(stocked, queued.id)
    assert (done.status, done.ended, done.rows_done, done.rows_total) == ("done", True, 5, 5)
    assert (done.report.created, done.report.rejected, done.message) == (2, 0, None)
    assert done.started_at and done.finished_at
    assert counts(stocked) == (2, 1, 1)
    assert one(stocked, "SELECT content IS NULL, claimed_by IS NULL FROM import_runs") == (True, True)
    with stocked.connect() as conn:
        events = conn.execute(text("SELECT action, actor FROM audit_events WHERE entity_type = 'import_run'"
                                   " ORDER BY id")).all()  # fmt: skip
        captured_by = conn.execute(text("SELECT DISTINCT actor FROM audit_events WHERE action = 'order.created'"))
        assert captured_by.scalars().all() == ["user:clara"]
    assert events == [("order_import_run.queued", "user:clara"), ("order_import_run.done", "user:clara")]
    assert run_queued(stocked) == 0  # nothing left to do

    again = start(stocked, csv_file(order_rows()))
    run_queued(stocked)
    assert view(stocked, again.id).report.already_imported and counts(stocked) == (2, 1, 2)


def test_progress_is_written_while_the_orders_are_captured(stocked, monkeypatch):
    monkeypatch.setattr(import_run_job, "PROGRESS_EVERY_S", 0.0)
    seen = []

    def capture(uow, actor, cmd, source):  # what a person reading the run's page sees meanwhile
        seen.append(tuple(one(stocked, "SELECT status, rows_done, rows_total FROM import_runs")))
        return capture_order(uow, actor, cmd, source)

    monkeypatch.setattr(CAPTURE, capture)
    run = start(stocked, csv_file(three_orders()))
    run_queued(stocked)

    assert len(seen) == 3 and {status for status, _, _ in seen} == {"importing"}
    assert {total for _, _, total in seen} == {6} and {done for _, done, _ in seen} <= {0, 3, 5}
    assert (view(stocked, run.id).rows_done, view(stocked, run.id).status) == (6, "done")


def test_progress_writes_are_throttled(stocked, monkeypatch):
    writes, write = [], import_run_job._Progress.write

    def counted(progress, done, total):
        writes.append((done, total))
        write(progress, done, total)

    monkeypatch.setattr(import_run_job._Progress, "write", counted)
    start(stocked, csv_file(three_orders()))
    run_queued(stocked)
    assert writes == [(0, 6), (6, 6)]  # a quick import: when capture starts and when it ends only


def test_a_file_with_errors_ends_refused_with_them_and_imports_nothing(stocked):
    rows = order_rows()
    rows[3][2] = "einkauf(at)becker"
    run = start(stocked, csv_file(rows))
    run_queued(stocked)

    refused = view(stocked, run.id)
    assert refused.status == "refused" and "nothing was imported" in refused.message
    assert [(e.row, e.column) for e in refused.report.errors] == [(5, "customer_email")]
    assert counts(stocked) == (0, 0, 1) and refused.rows_done == 0


def test_an_unreadable_file_ends_refused_with_what_to_do(stocked):
    run = start(stocked, b"\x00\x01 not a spreadsheet", name="photo.jpg")
    run_queued(stocked)
    refused = view(stocked, run.id)
    assert (refused.status, refused.report) == ("refused", None) and refused.message


def test_an_order_changed_since_checked_ends_the_run_interrupted(stocked, monkeypatch):
    monkeypatch.setattr(CAPTURE, conflict_at("PO-2026-0413"))
    run = start(stocked, csv_file(three_orders()))
    run_queued(stocked)
    interrupted = view(stocked, run.id)
    assert interrupted.status == "interrupted" and "import the same file again" in interrupted.message
    assert [o.order_ref for o in interrupted.report.imported] == ["PO-2026-0412"]
    assert (interrupted.rows_done, interrupted.rows_total) == (3, 6)  # its rows 2-4, not those after


def test_rows_done_counts_the_rows_captured_not_those_refused_at_capture(stocked, monkeypatch):
    monkeypatch.setattr(CAPTURE, conflict_at("PO-2026-0413"))
    run = start(stocked, csv_file(three_orders()), cmd=OrderImportCommand(channel="b2b", skip_invalid=True))
    run_queued(stocked)
    done = view(stocked, run.id)
    assert (done.status, done.report.created, done.report.rejected) == ("done", 2, 1)
    assert (done.rows_done, done.rows_total) == (4, 6)


def test_an_unexpected_error_fails_the_run_instead_of_leaving_it_stuck(stocked, monkeypatch):
    def broken(uow, actor, cmd, source):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(CAPTURE, broken)
    run = start(stocked, csv_file(order_rows()))
    assert run_queued(stocked) == 1
    failed = view(stocked, run.id)
    assert failed.status == "failed" and "RuntimeError" in failed.message and failed.ended
    assert one(stocked, "SELECT content IS NULL, claimed_until IS NULL FROM import_runs") == (True, True)
    assert run_queued(stocked) == 0


def _left_by_a_dead_worker(engine, run_id: int, attempts: int = 1, lease: str = "-1 second") -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE import_runs SET status = 'importing', rows_done = 2, rows_total = 5,"
                          " claimed_by = 'dead', claimed_until = now() + CAST(:lease AS interval),"
                          " attempts = :attempts, started_at = now() WHERE id = :id"),
                     {"id": run_id, "attempts": attempts, "lease": lease})  # fmt: skip


def test_a_run_whose_lease_ran_out_is_taken_up_again_and_one_still_leased_is_not(stocked):
    run = start(stocked, csv_file(order_rows()))
    _left_by_a_dead_worker(stocked, run.id, lease="1 minute")
    assert run_queued(stocked) == 0 and view(stocked, run.id).status == "importing"

    _left_by_a_dead_worker(stocked, run.id)
    assert run_queued(stocked) == 1
    done = view(stocked, run.id)
    assert (done.status, done.rows_done, done.report.created) == ("done", 5, 2)
    assert one(stocked, "SELECT attempts FROM import_runs")[0] == 2


def test_a_run_started_too_often_without_ending_fails(stocked):
    run = start(stocked, csv_file(order_rows()))
    _left_by_a_dead_worker(stocked, run.id, attempts=import_run_job.MAX_ATTEMPTS)
    run_queued(stocked)
    failed = view(stocked, run.id)
    assert failed.status == "failed" and "split the file" in failed.message and counts(stocked)[0] == 0


def test_a_worker_whose_run_was_taken_over_stops_and_writes_nothing(stocked, monkeypatch):
    monkeypatch.setattr(import_run_job, "PROGRESS_EVERY_S", 0.0)

    def capture(uow, actor, cmd, source):
        if cmd.external_id == "PO-2026-0413":  # meanwhile another worker took the run over
            with stocked.begin() as conn:
                conn.execute(text("UPDATE import_runs SET claimed_by = 'other'"))
        return capture_order(uow, actor, cmd, source)

    monkeypatch.setattr(CAPTURE, capture)
    run = start(stocked, csv_file(three_orders()))
    assert run_queued(stocked) == 1
    left = view(stocked, run.id)
    assert (left.status, left.report) == ("importing", None)
    assert one(stocked, "SELECT claimed_by, content IS NOT NULL FROM import_runs") == ("other", True)


def test_two_workers_claiming_at_once_run_it_once(stocked):
    run = start(stocked, csv_file(three_orders()))
    barrier = threading.Barrier(2)
    ran = []

    def worker():
        barrier.wait()
        ran.append(run_queued(stocked))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(ran) == [0, 1]
    assert view(stocked, run.id).status == "done" and counts(stocked) == (3, 1, 1)
    finished = one(stocked, "SELECT count(*) FROM audit_events WHERE action = 'order_import_run.done'")
    assert finished == (1,)


def test_refusals_at_start_store_nothing(stocked):
    content = csv_file(order_rows())
    with pytest.raises(Forbidden):
        start(stocked, content, actor=Actor("viewer", Role.VIEWER))
    with pytest.raises(Forbidden):
        start(stocked, content, actor=Actor("web-shop", Role.CHANNEL, channel_id="web"))
    with pytest.raises(ContentTooLarge):
        start(stocked, b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(ValidationFailed) as empty:
        start(stocked, b"")
    assert empty.value.errors[0].path == ("file",)
    with pytest.raises(ValidationFailed) as unknown:
        start(stocked, content, cmd=OrderImportCommand(channel="nowhere"))
    assert unknown.value.errors[0].path == ("channel",)
    assert counts(stocked) == (0, 0, 0)
    assert one(stocked, "SELECT count(*) FROM audit_events") == (0,)


def test_a_channel_sees_its_own_runs_only(stocked):
    portal = Actor("b2b-portal", Role.CHANNEL, channel_id="b2b")
    ours = start(stocked, csv_file(order_rows()), actor=portal)
    theirs = start(stocked, csv_file(order_rows()), cmd=OrderImportCommand(channel="web"), actor=OPS)
    web_shop = Actor("web-shop", Role.CHANNEL, channel_id="web")

    assert [r.id for r in recent_import_runs(UnitOfWork(stocked), OPS).items] == [theirs.id, ours.id]
    assert [r.id for r in recent_import_runs(UnitOfWork(stocked), portal).items] == [ours.id]
    assert [r.id for r in recent_import_runs(UnitOfWork(stocked), web_shop).items] == [theirs.id]
    with pytest.raises(NotFound):
        view(stocked, theirs.id, actor=portal)
    with pytest.raises(Forbidden):
        recent_import_runs(UnitOfWork(stocked), Actor("wms", Role.WMS, node_id="WH-LYON"))


def test_the_same_upload_again_while_its_run_is_open_is_answered_with_that_run(stocked):
    content = csv_file(order_rows())
    first = start(stocked, content)
    assert start(stocked, content).id == first.id  # a double click, a client retrying
    other = start(stocked, content, cmd=OrderImportCommand(channel="b2b", skip_invalid=True))
    assert other.id != first.id and counts(stocked) == (0, 0, 2)
    assert one(stocked, "SELECT count(*) FROM audit_events WHERE action = 'order_import_run.queued'") == (2,)

    run_queued(stocked)
    assert start(stocked, content).id not in (first.id, other.id)  # ended: the file is queued anew


def test_the_same_upload_twice_at_once_queues_one_run(stocked):
    content, barrier, ids = csv_file(order_rows()), threading.Barrier(2), []

    def submit():
        barrier.wait()
        ids.append(start(stocked, content).id)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 2 and len(set(ids)) == 1 and counts(stocked) == (0, 0, 1)


def test_a_person_has_at_most_a_few_runs_open_and_a_refused_one_stores_nothing(stocked):
    files = [csv_file(order_rows()[: n + 1]) for n in range(MAX_OPEN_RUNS + 1)]
    for content in files[:MAX_OPEN_RUNS]:
        start(stocked, content)
    with pytest.raises(TooManyOpenRuns) as refused:
        start(stocked, files[-1])
    assert refused.value.status == 429 and f"at most {MAX_OPEN_RUNS}" in refused.value.detail
    assert counts(stocked) == (0, 0, MAX_OPEN_RUNS)

    start(stocked, files[-1], actor=Actor(name="user:bruno", role=Role.BACKOFFICE))  # someone else may
    run_queued(stocked)  # one of clara's ends
    assert start(stocked, files[-1]).status == "queued"


def _user(engine, name: str, role: str = "backoffice") -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO users (name, password_hash, role) VALUES (:name, 'x', :role)"),
                     {"name": name, "role": role})  # fmt: skip


def test_a_run_is_imported_as_its_person_is_now_not_as_when_it_was_queued(stocked):
    _user(stocked, "clara")
    _user(stocked, "bruno")
    api_key(stocked, Role.OPS)  # the key "test-ops-all"
    disabled = start(stocked, csv_file(order_rows()))
    demoted = start(stocked, csv_file(three_orders()), actor=Actor("user:bruno", Role.BACKOFFICE))
    revoked = start(stocked, csv_file(order_rows()[:3]), actor=Actor("test-ops-all", Role.OPS))
    with stocked.begin() as conn:
        conn.execute(text("UPDATE users SET disabled = true WHERE name = 'clara'"))
        conn.execute(text("UPDATE users SET role = 'viewer' WHERE name = 'bruno'"))
        conn.execute(text("UPDATE api_keys SET revoked_at = now() WHERE name = 'test-ops-all'"))
    while run_queued(stocked):
        pass

    for run in (disabled, revoked):
        refused = view(stocked, run.id)
        assert refused.status == "refused" and refused.message == import_run_job.ASKER_GONE
    refused = view(stocked, demoted.id)
    assert refused.status == "refused" and "may not order:capture" in refused.message
    assert counts(stocked) == (0, 0, 3)
    assert one(stocked, "SELECT count(*) FROM audit_events WHERE action = 'order_import_run.refused'") == (3,)
