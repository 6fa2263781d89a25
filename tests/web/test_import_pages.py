"""The console's imports: a file uploaded (with the form's token) becomes a run whose page polls its
progress fragment every second while it runs and shows the report, with links to the orders, once it
has ended; refusals are readable and store nothing; a viewer gets no form."""

import re

from sqlalchemy import text

from oms.services.actor import Role
from oms.services.import_run_job import run_queued
from oms.services.import_runs import MAX_OPEN_RUNS
from tests.channels.bulk.files import csv_file, order_rows, stock_the_files_skus
from tests.web.conftest import as_role, csrf_of


def upload(web, content: bytes, name="po-week-12.csv", token=None, **form):
    token = token if token is not None else csrf_of(web.get("/imports").text)
    return web.post("/imports", files={"file": (name, content, "text/csv")},
                    data={"channel": "b2b", "csrf_token": token, **form}, follow_redirects=False)  # fmt: skip


def runs(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM import_runs")).scalar_one()


def test_an_upload_shows_its_progress_then_its_report_with_the_orders(web, engine):
    stock_the_files_skus(engine)
    as_role(web, engine, Role.BACKOFFICE)
    page = web.get("/imports")
    assert 'href="/imports"' in page.text and 'enctype="multipart/form-data"' in page.text
    assert "No import yet" in page.text

    started = upload(web, csv_file(order_rows()))
    assert started.status_code == 303 and started.headers["location"] == "/imports/1"
    queued = web.get("/imports/1")
    assert "Import 1: po-week-12.csv" in queued.text and 'hx-trigger="every 1s"' in queued.text

    with engine.begin() as conn:  # the worker half-way through
        conn.execute(text("UPDATE import_runs SET status = 'importing', rows_done = 3, rows_total = 5"))
    running = web.get("/imports/1", headers={"HX-Request": "true"})
    assert "<h1>" not in running.text and 'hx-trigger="every 1s"' in running.text
    assert '<progress max="5" value="3"' in running.text and "3 of 5 rows" in running.text
    with engine.begin() as conn:
        conn.execute(text("UPDATE import_runs SET status = 'queued', rows_done = 0, rows_total = NULL"))

    run_queued(engine)
    ended = web.get("/imports/1", headers={"HX-Request": "true"})
    assert "hx-trigger" not in ended.text and "5 of 5 rows" in ended.text  # the polling stops here
    assert "2 order(s) imported" in ended.text
    order_ids = re.findall(r'href="/orders/(\d+)">(PO-[\d-]+)<', ended.text)
    assert [ref for _, ref in order_ids] == ["PO-2026-0412", "PO-2026-0413"]
    assert web.get(f"/orders/{order_ids[0][0]}").status_code == 200
    assert 'href="/imports/1"' in web.get("/imports").text


def test_a_refused_file_shows_its_errors_by_row_and_column_and_what_to_do(web, engine):
    as_role(web, engine, Role.OPS)
    rows = order_rows()
    rows[3][2] = "einkauf(at)becker"
    upload(web, csv_file(rows))
    run_queued(engine)

    page = web.get("/imports/1")
    assert 'data-status="refused"' in page.text and "nothing was imported" in page.text
    assert "Skip invalid rows" in page.text and "hx-trigger" not in page.text
    errors = page.text[page.text.index('data-testid="import-errors"'):]
    assert re.search(r'<td class="num">5</td><td>customer_email</td><td>PO-2026-0413</td>', errors)


def test_an_upload_refused_at_once_says_why_and_stores_nothing(web, engine):
    as_role(web, engine, Role.OPS)
    empty = upload(web, b"")
    assert empty.status_code == 422 and "Not started: file: the file is empty" in empty.text
    unknown = upload(web, csv_file(order_rows()), channel="nowhere")
    assert unknown.status_code == 422 and "no channel" in unknown.text
    no_token = upload(web, csv_file(order_rows()), token="forged")
    assert no_token.status_code == 403
    assert runs(engine) == 0


def test_a_viewer_reads_the_runs_but_gets_no_form_and_cannot_upload(web, engine):
    as_role(web, engine, Role.VIEWER)
    page = web.get("/imports")
    assert page.status_code == 200 and "multipart/form-data" not in page.text
    assert 'href="/imports"' not in page.text.split("<main")[0]  # not in the navigation
    assert "People who capture orders import B2B files here" in page.text

    refused = upload(web, csv_file(order_rows()), token=csrf_of(web.get("/orders").text))
    assert refused.status_code == 403 and "may not order:capture" in refused.text
    assert runs(engine) == 0


def test_a_channel_user_imports_for_its_own_channel_only(web, engine):
    as_role(web, engine, Role.CHANNEL, "b2b")
    page = web.get("/imports")
    assert re.findall(r'<option value="([^"]+)"', page.text) == ["b2b"]
    assert upload(web, csv_file(order_rows()), channel="web").status_code == 403
    assert runs(engine) == 0


def test_a_double_click_starts_one_run_and_too_many_open_show_the_form_saying_so(web, engine):
    as_role(web, engine, Role.BACKOFFICE)
    first, second = upload(web, csv_file(order_rows())), upload(web, csv_file(order_rows()))
    assert first.headers["location"] == second.headers["location"] == "/imports/1"
    for n in range(1, MAX_OPEN_RUNS):
        upload(web, csv_file(order_rows()[:n]))
    refused = upload(web, csv_file(order_rows()[:MAX_OPEN_RUNS]))
    assert refused.status_code == 429 and 'enctype="multipart/form-data"' in refused.text
    assert "Not started: " in refused.text and "once one of them has ended" in refused.text
    assert runs(engine) == MAX_OPEN_RUNS


def test_a_run_refused_for_who_asked_says_so_without_blaming_the_file(web, engine):
    as_role(web, engine, Role.OPS)
    upload(web, b"\x00\x01 not a spreadsheet", name="photo.jpg")
    upload(web, csv_file(order_rows()))
    run_queued(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE api_keys SET revoked_at = now()"))
    run_queued(engine)
    as_role(web, engine, Role.VIEWER)

    unreadable = web.get("/imports/1")
    assert 'data-status="refused"' in unreadable.text and "Check that the file" in unreadable.text
    page = web.get("/imports/2")
    assert 'data-status="refused"' in page.text and "may no longer import" in page.text
    assert "Check that the file" not in page.text
