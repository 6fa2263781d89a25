"""POST /shipments/charges: what carriers billed, set on the shipments their tracking numbers name; a bad
row refuses the batch with a problem naming each bad row, and nothing is recorded."""

from decimal import Decimal

from sqlalchemy import text

from oms.services.actor import Role
from tests.factories import api_key
from tests.tracking_factories import shipped_order

URL = "/api/v1/shipments/charges"


def charged(engine) -> list[Decimal | None]:
    with engine.connect() as conn:
        return conn.execute(text("SELECT charged_cost FROM shipments ORDER BY id")).scalars().all()


def test_a_charge_is_set_on_the_shipment_its_tracking_number_names(client, engine):
    shipped_order(client, engine, tracking="6A1")
    answer = client.post(URL, json=[{"tracking_number": "6A1", "charged_cost": "6.49", "carrier": "colissimo"}])
    assert answer.status_code == 200
    assert (answer.json()["shipments"], Decimal(answer.json()["charged"])) == (1, Decimal("6.49"))
    assert charged(engine) == [Decimal("6.49")]


def test_bad_rows_are_each_named_and_nothing_is_recorded(client, engine):
    shipped_order(client, engine, tracking="6A1")
    rows = [{"tracking_number": "6A1", "charged_cost": "6.49"},
            {"tracking_number": "NOPE", "charged_cost": "5.00"},
            {"tracking_number": "6A1", "charged_cost": "1.00", "currency": "USD"}]  # fmt: skip
    refused = client.post(URL, json=rows)
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert [(e["pointer"], e["code"]) for e in refused.json()["errors"]] == [
        ("/1/tracking_number", "unknown_tracking_number"),
        ("/2/tracking_number", "repeated"),
    ]
    assert charged(engine) == [None]


def test_a_negative_or_over_precise_charge_is_refused_by_the_schema(client, engine):
    shipped_order(client, engine, tracking="6A1")
    refused = client.post(URL, json=[{"tracking_number": "6A1", "charged_cost": "-1"},
                                     {"tracking_number": "6A1", "charged_cost": "1.234"}])  # fmt: skip
    assert refused.status_code == 422
    assert {e["pointer"] for e in refused.json()["errors"]} == {"/0/charged_cost", "/1/charged_cost"}
    assert charged(engine) == [None]


def test_a_viewer_may_not_record_charges(client, engine):
    shipped_order(client, engine, tracking="6A1")
    answer = client.post(URL, json=[{"tracking_number": "6A1", "charged_cost": "6.49"}],
                         headers=api_key(engine, Role.VIEWER))  # fmt: skip
    assert answer.status_code == 403 and charged(engine) == [None]
