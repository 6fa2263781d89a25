"""`oms webhooks` as a person runs it: subscribe, list, change, see the dead letters, replay, delete."""

import re

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from oms import cli
from oms.services.actor import SYSTEM
from oms.services.uow import UnitOfWork
from oms.services.webhook_outbox import fan_out

runner = CliRunner()


@pytest.fixture(autouse=True)
def _cli_database(engine, monkeypatch):
    monkeypatch.setattr(cli, "_migrated_engine", lambda: engine)


def oms(*args: str):
    return runner.invoke(cli.app, ["webhooks", *args])


def test_a_subscription_from_the_command_line(engine):
    created = oms("create", "--url", "http://127.0.0.1:9000/in", "--events", "order.created, order.shipped")
    assert created.exit_code == 0, created.output
    secret = re.search(r"secret: (whsec_\S+)", created.output).group(1)
    sub = created.output.split()[0]

    listed = oms("list")
    assert "http://127.0.0.1:9000/in  [enabled]  order.created, order.shipped" in listed.output
    assert secret not in listed.output and secret not in oms("show", sub).output

    disabled = oms("update", sub, "--disable", "--events", "*")
    assert disabled.exit_code == 0 and "[disabled]  *" in disabled.output
    assert oms("delete", sub).output.strip() == f"subscription {sub} deleted"
    assert oms("list").output == ""


def test_dead_letters_are_listed_and_replayed_from_the_command_line(engine):
    sub = oms("create", "--url", "http://127.0.0.1:9000/in", "--events", "*").output.split()[0]
    with UnitOfWork(engine) as uow:
        uow.record(SYSTEM, "order.created", "order", 7, after={"id": 7}, publish="order.created")
        uow.commit()
    fan_out(engine)
    with engine.begin() as conn:
        delivery = conn.execute(text("UPDATE webhook_deliveries SET status = 'dead', attempts = 12,"
                                     " last_error = 'HTTP 500: boom' RETURNING id")).scalar_one()  # fmt: skip

    dead = oms("deliveries", "--status", "dead", "--subscription", sub)
    assert dead.exit_code == 0 and f"{delivery}  sub {sub}  order.created" in dead.output
    assert "dead      attempts 12  HTTP 500: boom" in dead.output
    assert "queued again" in oms("replay", str(delivery)).output
    assert oms("deliveries", "--status", "dead").output == ""
    refused = oms("replay", str(delivery))
    assert refused.exit_code == 1 and "already queued" in refused.output
    assert "0 dead deliveries" in oms("replay-dead", sub).output


def test_bad_input_is_refused_with_the_reason(engine):
    unknown_type = oms("create", "--url", "http://127.0.0.1:9000/in", "--events", "order.teleported")
    assert unknown_type.exit_code == 1 and "unknown event type 'order.teleported'" in unknown_type.output
    bad_url = oms("create", "--url", "localhost/in", "--events", "*")
    assert bad_url.exit_code == 1 and "error: url:" in bad_url.output
    assert oms("show", "99").exit_code == 1 and "no webhook subscription 99" in oms("show", "99").output
    assert oms("deliveries", "--status", "lost").exit_code == 2
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM webhook_subscriptions")).scalar_one() == 0
