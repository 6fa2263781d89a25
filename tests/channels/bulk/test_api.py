"""POST /api/v1/orders/imports: a multipart upload answered with the import's report (201 imported, 200 the
same file again, 422 row errors and nothing stored, 413 too large), for whoever may capture orders."""

from sqlalchemy import text

from oms.services.actor import Role
from oms.services.order_imports_models import MAX_FILE_BYTES
from tests.channels.bulk.changes import CAPTURE, conflict_at
from tests.channels.bulk.files import csv_file, order_rows, three_orders, xlsx_file
from tests.factories import api_key, set_stock

URL = "/api/v1/orders/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stock(engine) -> None:
    for sku in ("TSH-BLU-L", "TSH-BLU-M", "JKT-RED-M"):
        set_stock(engine, "WH-LYON", sku, 100)


def upload(client, content: bytes, name="orders.csv", headers=None, **form):
    files = {"file": (name, content, XLSX if name.endswith(".xlsx") else "text/csv")}
    return client.post(URL, files=files, data={"channel": "b2b", **form}, headers=headers)


def stored(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        counts = "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM inbound_payloads)"
        return tuple(conn.execute(text(counts)).one())


def test_an_upload_imports_the_orders_and_the_same_file_again_answers_200(client, engine):
    stock(engine)
    content = xlsx_file(order_rows())
    created = upload(client, content, "po-week-12.xlsx")

    assert created.status_code == 201, created.text
    report = created.json()
    assert (report["file_format"], report["created"], report["already_imported"]) == ("xlsx", 2, False)
    order = client.get(f"/api/v1/orders/{report['imported'][1]['order_id']}").json()
    assert order["external_id"] == "PO-2026-0413" and order["source"]["reference"] == "rows 5-6"
    payload = client.get(f"/api/v1/inbound-payloads/{report['payload_id']}").json()
    assert payload["source"] == "bulk"
    assert payload["order_ids"] == sorted(o["order_id"] for o in report["imported"])

    again = upload(client, content, "copy of po-week-12.xlsx")
    assert again.status_code == 200 and again.json()["already_imported"]
    assert again.json()["imported"] == report["imported"] and stored(engine) == (2, 1)


def test_row_errors_answer_422_with_the_report_and_store_nothing(client, engine):
    stock(engine)
    rows = order_rows()
    rows[3][2] = "einkauf(at)becker"
    refused = upload(client, csv_file(rows, european=True))

    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    body = refused.json()
    assert body["type"].endswith("/validation-failed") and "nothing was imported" in body["detail"]
    [pointed] = body["errors"]
    assert (pointed["pointer"], pointed["code"]) == ("/rows/5/customer_email", "string_pattern_mismatch")
    [error] = body["report"]["errors"]
    assert (error["row"], error["column"], error["order_ref"]) == (5, "customer_email", "PO-2026-0413")
    assert stored(engine) == (0, 0)

    lenient = upload(client, csv_file(rows, european=True), skip_invalid="true")
    assert lenient.status_code == 201 and lenient.json()["rejected"] == 1 and stored(engine) == (1, 1)


def test_an_order_refused_at_capture_answers_409_with_what_went_in(client, engine, monkeypatch):
    stock(engine)
    monkeypatch.setattr(CAPTURE, conflict_at("PO-2026-0413"))
    stopped = upload(client, csv_file(three_orders()))

    assert stopped.status_code == 409 and stopped.headers["content-type"] == "application/problem+json"
    body = stopped.json()
    assert body["type"].endswith("/import-interrupted") and "import the same file again" in body["detail"]
    assert [(e["pointer"], e["code"]) for e in body["errors"]] == [("/rows/5", "conflict")]
    imported = [o["order_ref"] for o in body["report"]["imported"]]
    assert imported[0] == "PO-2026-0412" and "PO-2026-0413" not in imported  # 0414: if it had started
    assert stored(engine) == (len(imported), 1)


def test_a_channel_key_imports_for_its_own_channel_only(client, engine):
    stock(engine)
    content = csv_file(order_rows())
    web = upload(client, content, headers=api_key(engine, Role.CHANNEL, "web"))
    viewer = upload(client, content, headers=api_key(engine, Role.VIEWER))
    assert web.status_code == 403 and viewer.status_code == 403 and stored(engine) == (0, 0)
    own = upload(client, content, headers=api_key(engine, Role.CHANNEL, "b2b"))
    assert own.status_code == 201


def test_a_file_too_large_answers_413_and_one_unreadable_422(client, engine, monkeypatch):
    monkeypatch.setattr("oms.services.order_imports.MAX_FILE_BYTES", 1000)
    too_large = upload(client, csv_file(order_rows() * 3))
    assert too_large.status_code == 413 and too_large.json()["type"].endswith("/content-too-large")
    unreadable = upload(client, b"PK\x03\x04 a broken workbook", "orders.xlsx")
    assert unreadable.status_code == 422 and unreadable.json()["errors"][0]["pointer"] == "/file"
    no_file = client.post(URL, data={"channel": "b2b", "skip_invalid": "maybe"})
    assert no_file.status_code == 422 and stored(engine) == (0, 0)
    assert {e["pointer"] for e in no_file.json()["errors"]} == {"/file", "/skip_invalid"}


def test_an_upload_declared_too_large_or_of_no_length_is_refused_before_it_is_read(client):
    huge = upload(client, b"x" * (MAX_FILE_BYTES + 128 * 1024))
    assert huge.status_code == 413 and huge.headers["content-type"] == "application/problem+json"
    assert "at most 20,971,520" in huge.json()["detail"]
    multipart = {"content-type": "multipart/form-data; boundary=x"}
    chunked = client.post(URL, content=iter([b"--x\r\n"]), headers=multipart)  # no Content-Length
    assert chunked.status_code == 411 and chunked.headers["content-type"] == "application/problem+json"


def test_the_route_is_documented_and_orders_routes_still_answer_beside_it(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/orders/imports"]["post"]
    assert "multipart/form-data" in operation["requestBody"]["content"]
    assert {"200", "201", "413", "422"} <= set(operation["responses"])
    assert client.get("/api/v1/orders/imports").status_code == 422  # GET /orders/{order_id}: not an id
    assert client.get("/api/v1/orders/999").status_code == 404
