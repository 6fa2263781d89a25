"""Each shipment's two costs, recorded as it ships and as its carrier bills: the quote routing planned it
at (anew when it weighs otherwise), a charge on the shipped event or a carrier event, and carriers'
invoices imported from CSV, every bad row reported and nothing half-applied."""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from oms import cli
from oms.api.app import create_app
from oms.services.actor import Role
from tests.factories import add_network, api_key, set_stock
from tests.fulfilment_factories import capture, event, release, send, shipped
from tests.tracking_factories import post, post_batch, shipped_order, tracking_event


@pytest.fixture
def client(engine):
    add_network(engine)
    with TestClient(create_app(engine)) as c:
        c.headers.update(api_key(engine, Role.OPS))
        yield c


def costs(engine) -> list[tuple[Decimal | None, Decimal | None]]:
    with engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(text("SELECT quoted_cost, charged_cost FROM shipments ORDER BY id"))
        ]


def planned_cost(engine) -> Decimal:
    with engine.connect() as conn:
        decision = conn.execute(
            text("SELECT decision FROM routing_decisions ORDER BY id DESC LIMIT 1")
        ).scalar()
    return Decimal(str(decision["plan"]["shipments"][0]["cost"]))


def flat(**prices: float) -> dict:
    """A rate table charging each carrier one price up to 50 kg, wherever it ships."""
    return {"cards": [{"carrier": carrier, "service": "standard", "breaks": [{"max_weight_kg": 50, "price": price}]}
                      for carrier, price in prices.items()]}  # fmt: skip


# Routing plans the cheapest carrier: GLS at 5.00. Rates saved afterwards never change a quote as planned.
PLANNED_WITH = flat(GLS=5.0, Colissimo=7.0)


def released_order(client, engine) -> dict:
    assert client.put("/api/v1/routing/rates", json=PLANNED_WITH).status_code == 200
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=5)
    [fo] = release(client, capture(client, [("TSH-BLU-L", 1)]))
    return fo


def test_a_shipment_is_quoted_what_routing_planned_and_charged_what_its_shipped_event_says(client, engine):
    fo = released_order(client, engine)
    assert client.put("/api/v1/routing/rates", json=flat(GLS=9.0, Colissimo=9.5)).status_code == 200
    as_planned = event(fo["id"], "shipped", 60, carrier="GLS", service="standard", tracking_number="6A1",
                       charged_cost="7.10", currency="EUR")  # fmt: skip
    assert send(client, as_planned).status_code == 201
    assert costs(engine) == [(planned_cost(engine), Decimal("7.10"))] == [(Decimal("5.00"), Decimal("7.10"))]


def test_a_shipment_weighing_other_than_planned_is_quoted_anew_by_its_own_carriers_card(client, engine):
    fo = released_order(client, engine)
    assert client.put("/api/v1/routing/rates", json=flat(post=3.0, Colissimo=9.5)).status_code == 200
    parcel = {"tracking_number": "6A9", "weight_kg": 18}
    heavy = event(fo["id"], "shipped", 60, carrier="Colissimo", service="standard", parcels=[parcel])
    assert send(client, heavy).status_code == 201
    assert costs(engine) == [(Decimal("9.50"), None)]  # Colissimo's price, not the cheaper post's


@pytest.mark.parametrize(("carrier", "quoted"), [("colissimo", Decimal("7.00")), ("UPS", None)])
def test_a_shipment_going_with_another_carrier_than_planned_is_quoted_by_that_carriers_card(
    client, engine, carrier, quoted
):
    fo = released_order(client, engine)
    other = event(fo["id"], "shipped", 60, carrier=carrier, service="standard", tracking_number="6A1")
    assert send(client, other).status_code == 201
    assert costs(engine) == [(quoted, None)]  # UPS has no card: no quote rather than another carrier's


def test_a_charge_in_another_currency_refuses_the_event_and_ships_nothing(client, engine):
    fo = released_order(client, engine)
    refused = send(client, shipped(fo["id"], charged_cost="7.10", currency="USD"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["pointer"] == "/currency"
    assert costs(engine) == []


def test_a_carrier_event_with_a_charge_sets_it(client, engine):
    shipped_order(client, engine)
    assert post(client, tracking_event("delivered", 24, charged_cost="5.95")).status_code == 201
    assert costs(engine)[0][1] == Decimal("5.95")
    assert post(client, tracking_event("delivered", 24, charged_cost="-1")).status_code == 422
    batch = [
        tracking_event("in_transit", 2),
        tracking_event("delivered", 24, charged_cost="5", currency="USD"),
    ]
    refused = post_batch(client, batch)
    assert refused.status_code == 422 and refused.json()["errors"][0]["pointer"] == "/events/1/currency"
    assert costs(engine)[0][1] == Decimal("5.95")


def test_an_invoice_with_bad_rows_records_nothing_and_a_good_one_sets_each_charge(client, engine, tmp_path,
                                                                                   monkeypatch):  # fmt: skip
    shipped_order(client, engine, tracking="6A1")
    shipped_order(client, engine, tracking="6A2", external_id="WEB-2")
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    bad = tmp_path / "bad.csv"
    bad.write_text("tracking_number,charged_cost,carrier\n6A1,6.49,Colissimo\nNOPE,5.00,\n6A2,5.00,DHL\n")
    result = CliRunner().invoke(cli.app, ["shipments", "import-charges", str(bad)])
    assert result.exit_code == 1 and "2 row(s) rejected" in result.output
    assert "there is no shipment NOPE" in result.output and "DHL has no shipment 6A2" in result.output
    assert [charged for _, charged in costs(engine)] == [None, None]
    good = tmp_path / "good.csv"
    good.write_text("tracking_number,charged_cost\n6A1,6.49\n6A2,12.30\n")
    result = CliRunner().invoke(cli.app, ["shipments", "import-charges", str(good)])
    assert result.exit_code == 0, result.output
    assert [charged for _, charged in costs(engine)] == [Decimal("6.49"), Decimal("12.30")]
