"""GET /api/v1/anomalies/stockouts: the stockout timeline's data, its limits and who may read it."""

from datetime import UTC, datetime

from oms.services.actor import Role
from tests.factories import api_key, set_stock
from tests.integration.anomaly_rows import add_orders


def test_positions_running_out_are_listed_soonest_first(client, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=20)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=500)
    with engine.begin() as conn:
        now = datetime.now(UTC)
        add_orders(conn, "L", now, 56, since_hours=56 * 24, until_hours=24, units=2, node="WH-LYON")
        add_orders(conn, "K", now, 56, since_hours=56 * 24, until_hours=24, units=2, node="WH-KOELN")
        add_orders(conn, "J", now, 56, since_hours=56 * 24, until_hours=24, sku="JKT-RED-M", node="WH-KOELN")
    response = client.get("/api/v1/anomalies/stockouts")
    assert response.status_code == 200
    rows = [(r["node_id"], r["sku"], r["days_of_cover"], r["at_risk"]) for r in response.json()]
    assert rows == [("WH-LYON", "TSH-BLU-L", 5, True), ("WH-KOELN", "TSH-BLU-L", 10, False)]
    assert (
        client.get("/api/v1/anomalies/stockouts", params={"at_risk_only": True}).json()[0]["node_id"]
        == "WH-LYON"
    )
    assert len(client.get("/api/v1/anomalies/stockouts", params={"node": "WH-KOELN"}).json()) == 1


def test_a_bad_limit_is_a_422_and_a_carrier_may_not_read_it(client, engine):
    assert client.get("/api/v1/anomalies/stockouts", params={"limit": 0}).status_code == 422
    response = client.get("/api/v1/anomalies/stockouts", headers=api_key(engine, Role.CARRIER))
    assert response.status_code == 403
