"""POST /api/v1/orders/import-runs: the upload answered 202 with the run and its Location at once; the
worker's job imports it; GET shows its progress and report; refusals are problem bodies and leave
nothing behind."""

from sqlalchemy import text

from oms.services.actor import Role
from oms.services.import_run_job import run_queued
from oms.services.import_runs import MAX_OPEN_RUNS
from oms.services.order_imports_models import MAX_FILE_BYTES
from tests.channels.bulk.files import csv_file, order_rows, stock_the_files_skus
from tests.factories import api_key

URL = "/api/v1/orders/import-runs"


def upload(client, content: bytes, name="po-week-12.csv", headers=None, **form):
    return client.post(URL, files={"file": (name, content, "text/csv")}, data={"channel": "b2b", **form},
                       headers=headers)  # fmt: skip


def left_behind(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "SELECT (SELECT count(*) FROM import_runs), (SELECT count(*) FROM orders),"
            " (SELECT count(*) FROM audit_events)")).one())  # fmt: skip


def test_an_upload_answers_202_with_the_run_and_the_worker_imports_it(client, engine):
    stock_the_files_skus(engine)
    queued = upload(client, csv_file(order_rows()), skip_invalid="true")

    assert queued.status_code == 202, queued.text
    run = queued.json()
    assert queued.headers["location"] == f"{URL}/{run['id']}"
    assert (run["status"], run["ended"], run["skip_invalid"], run["file_name"]) == ("queued", False, True,
                                                                                  "po-week-12.csv")
    assert client.get(queued.headers["location"]).json()["report"] is None

    assert run_queued(engine) == 1
    done = client.get(queued.headers["location"]).json()
    assert (done["status"], done["ended"], done["rows_done"], done["rows_total"]) == ("done", True, 5, 5)
    assert done["report"]["created"] == 2 and done["report"]["payload_id"]
    assert [r["id"] for r in client.get(URL).json()["items"]] == [run["id"]]
    assert "report" not in client.get(URL).json()["items"][0]  # the list stays small


def test_refusals_are_problems_and_leave_nothing(client, engine):
    viewer = api_key(engine, Role.VIEWER)
    cases = [
        (upload(client, csv_file(order_rows()), headers=viewer), 403, "forbidden"),
        (upload(client, csv_file(order_rows()), channel="nowhere"), 422, "validation-failed"),
        (upload(client, b""), 422, "validation-failed"),
        (client.post(URL, data={"channel": "b2b"}), 422, "validation-failed"),
        (upload(client, b"x" * (MAX_FILE_BYTES + 1)), 413, "content-too-large"),
        (upload(client, csv_file(order_rows()), headers=api_key(engine, Role.CHANNEL, "web")), 403, "forbidden"),
    ]
    for answer, status, slug in cases:
        assert answer.status_code == status, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        assert answer.json()["type"].endswith(f"/{slug}")
    assert left_behind(engine) == (0, 0, 0)


def test_a_run_is_read_within_its_channel_only(client, engine):
    run = upload(client, csv_file(order_rows())).json()
    web_key = api_key(engine, Role.CHANNEL, "web")

    missing = client.get(f"{URL}/{run['id']}", headers=web_key)
    assert missing.status_code == 404 and missing.json()["type"].endswith("/not-found")
    assert client.get(URL, headers=web_key).json() == {"items": []}
    assert client.get(f"{URL}/{run['id']}", headers=api_key(engine, Role.CHANNEL, "b2b")).status_code == 200
    assert client.get(URL, params={"limit": 0}).status_code == 422
    assert client.get(f"{URL}/999").status_code == 404


def test_the_schema_declares_the_run(client):
    paths = client.get("/openapi.json").json()["paths"]
    post = paths[URL]["post"]
    assert "202" in post["responses"] and "multipart/form-data" in post["requestBody"]["content"]
    assert paths[URL + "/{run_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ImportRunView"}  # fmt: skip


def test_an_upload_sent_again_is_its_run_and_too_many_open_answer_429(client, engine):
    first = upload(client, csv_file(order_rows()))
    again = upload(client, csv_file(order_rows()))
    assert again.status_code == 202 and again.headers["location"] == first.headers["location"]
    for n in range(1, MAX_OPEN_RUNS):
        assert upload(client, csv_file(order_rows()[:n])).status_code == 202
    too_many = upload(client, csv_file(order_rows()[:MAX_OPEN_RUNS]))
    assert too_many.status_code == 429 and too_many.json()["type"].endswith("/too-many-import-runs")
    assert "once one of them has ended" in too_many.json()["detail"]
    assert left_behind(engine)[0] == MAX_OPEN_RUNS
