"""`oms sla check` as a person runs it."""

from datetime import date, timedelta

from sqlalchemy import text
from typer.testing import CliRunner

from oms import cli
from oms.services.order_actions import release
from oms.services.order_capture import capture_order
from oms.services.order_models import OrderCreate
from oms.services.uow import UnitOfWork
from tests.factories import ADMIN, add_network, order_body, set_stock

runner = CliRunner()


def test_the_check_from_the_command_line_raises_what_is_due_once(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)
    add_network(engine)
    set_stock(engine, "WH-LYON", "TSH-BLU-L", 1)
    order, _ = capture_order(UnitOfWork(engine), ADMIN, OrderCreate.model_validate(order_body()))
    release(UnitOfWork(engine), ADMIN, order.id)
    with engine.connect() as conn:
        ship_by = conn.execute(text("SELECT ship_by FROM fulfilment_orders")).scalar()
    late = f"{ship_by + timedelta(days=1)}T09:00:00+01:00"
    first = runner.invoke(cli.app, ["sla", "check", "--now", late])
    assert first.exit_code == 0 and "1 alert(s) raised or resolved" in first.output
    assert "0 alert(s)" in runner.invoke(cli.app, ["sla", "check", "--now", late]).output
    naive = runner.invoke(cli.app, ["sla", "check", "--now", str(date(2026, 3, 10))])
    assert naive.exit_code == 2 and "time zone" in naive.output
