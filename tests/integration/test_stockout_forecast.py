"""The stockout forecast and check on a real database: a SKU selling five a day at a node with thirty to
promise runs out in six days, before the week of lead time; inbound supply pushes it out; stock that does
not sell never runs out."""

from datetime import UTC, date, datetime, timedelta

import pytest

from oms.domain.alerts import AlertKind, Severity
from oms.services.actor import Actor, Role
from oms.services.anomaly_checks_stockout import stockout_findings
from oms.services.errors import Forbidden
from oms.services.stockout_forecast import StockoutQuery, stockout_forecast
from oms.services.uow import UnitOfWork
from tests.factories import OPS, VIEWER, add_network, set_stock
from tests.integration.anomaly_rows import add_orders

NOW = datetime(2026, 3, 12, 12, 0, tzinfo=UTC)  # a Thursday
TODAY = NOW.date()


@pytest.fixture
def selling(engine):
    """TSH-BLU-L sells 5 a day at WH-LYON (ATP 30); TSH-BLU-M has stock and no sales; JKT-RED-M sells one a
    day at WH-KOELN with 100 to promise."""
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=40, reserved=6, safety=4)
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=3)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=100)
    with engine.begin() as conn:
        add_orders(conn, "L", NOW, 56, since_hours=56 * 24, until_hours=24, units=5, node="WH-LYON")
        add_orders(conn, "K", NOW, 56, since_hours=56 * 24, until_hours=24, sku="JKT-RED-M", node="WH-KOELN")
    return engine


def add_inbound(engine, sku: str, node: str, quantity: int, expected: date) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO inbound_supply (node_id, sku, type, reference, quantity, expected_date) "
            "VALUES (%s, %s, 'purchase_order', 'PO-1', %s, %s)", (node, sku, quantity, expected))  # fmt: skip


def test_a_position_selling_faster_than_it_can_be_replenished_is_found(selling):
    [finding] = stockout_findings(UnitOfWork(selling), OPS, NOW)
    assert (finding.kind, finding.subject.sku, finding.subject.node_id) == (
        AlertKind.STOCKOUT_PREDICTED, "TSH-BLU-L", "WH-LYON")  # fmt: skip
    assert finding.details["stockout_date"] == (TODAY + timedelta(days=6)).isoformat()
    assert finding.details["daily_demand"] == pytest.approx(5.0)
    assert finding.severity == Severity.WARNING and 0 < finding.score < 1
    effects = {c.feature: c.effect for c in finding.contributions}
    assert effects["daily_demand"] > 0 > effects["atp"]  # demand brings it on, the stock holds it off
    assert (
        effects["inbound"] == 0 and finding.details["units_short"] == 5.0
    )  # 35 wanted before day 7, 30 there
    assert finding.dedupe_key == "stockout_predicted:sku:TSH-BLU-L@WH-LYON"


def test_inbound_supply_before_the_stockout_pushes_it_past_the_lead_time(selling):
    add_inbound(selling, "TSH-BLU-L", "WH-LYON", 100, TODAY + timedelta(days=3))
    assert stockout_findings(UnitOfWork(selling), OPS, NOW) == []
    [forecast] = stockout_forecast(UnitOfWork(selling), OPS, StockoutQuery(sku="TSH-BLU-L"), now=NOW)
    assert forecast.stockout_date == TODAY + timedelta(days=26) and forecast.inbound_units == 100
    assert not forecast.at_risk


def test_supply_due_only_after_the_stockout_leaves_it_at_risk_until_then(selling):
    add_inbound(selling, "TSH-BLU-L", "WH-LYON", 3, TODAY + timedelta(days=1))  # too little to help much
    add_inbound(selling, "TSH-BLU-L", "WH-LYON", 100, TODAY + timedelta(days=20))
    [finding] = stockout_findings(UnitOfWork(selling), OPS, NOW)
    assert finding.details["replenishment_date"] == (TODAY + timedelta(days=20)).isoformat()
    assert finding.details["inbound_units"] == 3
    inbound = next(c for c in finding.contributions if c.feature == "inbound")
    assert inbound.value == "3 units" and inbound.effect < 0  # it holds the stockout off, a little


def test_the_forecast_lists_every_stockout_in_the_horizon_soonest_first(selling):
    rows = stockout_forecast(UnitOfWork(selling), VIEWER, StockoutQuery(), now=NOW)
    assert [(r.sku, r.days_of_cover, r.at_risk) for r in rows] == [("TSH-BLU-L", 6, True)]
    assert rows[0].atp == 30 and rows[0].replenishment_date == TODAY + timedelta(days=7)


def test_reading_the_forecast_needs_inventory_or_reports(selling):
    with pytest.raises(Forbidden):
        stockout_forecast(UnitOfWork(selling), Actor("dhl", Role.CARRIER), StockoutQuery())
